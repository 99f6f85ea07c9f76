package io.batchyard.jobs.partition;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How partitioned steps run, under {@code batchyard.partitioning}. Every node sharing a
 * job repository must use the same mode (and the same grid sizes, see each job's
 * {@code grid-size}).
 *
 * @param mode {@code local}: the partitions of a step run on this node's threads (the
 * embedded default and single-node installs); {@code remote}: the manager sends one
 * request per partition to {@code queue} and workers (nodes with
 * {@code batchyard.runner.worker=true}) run them
 * @param localThreads partitions of one step running at once in local mode (more wait);
 * each holds a database connection while it commits
 * @param queue the SQS queue of partition requests in remote mode (name or URL), with its
 * {@code <queue>-dlq}
 * @param pollInterval how often a manager reads the job repository to learn whether its
 * partitions have finished (remote mode)
 * @param timeout how long a manager waits for its partitions before it fails (remote
 * mode); none when empty
 * @param workerConcurrency partitions one worker node runs at once (remote mode)
 * @param visibilityTimeout how long a partition request taken by a worker stays hidden
 * from the others (remote mode); a partition running longer is delivered again and
 * dropped as a duplicate
 */
@Validated
@ConfigurationProperties("batchyard.partitioning")
public record PartitioningProperties(@DefaultValue("local") @NotNull Mode mode,
		@DefaultValue("4") @Min(1) @Max(256) int localThreads,
		@DefaultValue("batchyard-partitions") @NotBlank String queue,
		@DefaultValue("1s") @NotNull Duration pollInterval, Duration timeout,
		@DefaultValue("2") @Min(1) @Max(64) int workerConcurrency,
		@DefaultValue("15m") @NotNull Duration visibilityTimeout) {

	public PartitioningProperties {
		if (pollInterval != null && pollInterval.toMillis() < 10) {
			throw new IllegalArgumentException(
					"batchyard.partitioning.poll-interval must be at least 10ms, not " + pollInterval);
		}
		if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException(
					"batchyard.partitioning.timeout must be positive (or left empty for none), not " + timeout);
		}
		if (visibilityTimeout != null
				&& (visibilityTimeout.toSeconds() < 1 || visibilityTimeout.toSeconds() > 43_200)) {
			throw new IllegalArgumentException(
					"batchyard.partitioning.visibility-timeout must be 1s to 12h (the SQS limits), not "
							+ visibilityTimeout);
		}
	}

	/**
	 * Where partitions run.
	 */
	public enum Mode {

		/** On this node's threads. */
		LOCAL,

		/** On worker nodes, through the partition queue. */
		REMOTE

	}

}
