package io.batchyard.jobs.partition;

import org.springframework.batch.core.step.StepExecution;

/**
 * Records which node took a partition, so that a partition whose worker dies can be told
 * from one that is still running. Called by {@link PartitionWorker} inside the
 * transaction that moves the partition from {@code STARTING} to {@code STARTED}: the
 * claim and the record commit together or not at all.
 */
@FunctionalInterface
public interface PartitionClaims {

	/** Records nothing: for a single process, where nobody else recovers partitions. */
	PartitionClaims NONE = (partition) -> {
	};

	/**
	 * Records that this node runs a partition.
	 * @param partition the partition's step execution, now {@code STARTED}
	 */
	void claimed(StepExecution partition);

}
