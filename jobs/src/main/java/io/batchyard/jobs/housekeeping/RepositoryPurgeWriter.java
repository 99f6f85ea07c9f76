package io.batchyard.jobs.housekeeping;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Deletes each chunk's executions and keeps a running total of what it removed in the
 * step's ExecutionContext, so the report of a restarted purge equals that of an
 * uninterrupted one. The total of a chunk counts only once its transaction commits.
 */
public class RepositoryPurgeWriter implements ItemWriter<PurgeCandidate>, ItemStream {

	private static final Log logger = LogFactory.getLog(RepositoryPurgeWriter.class);

	static final String EXECUTIONS_KEY = "repositoryPurgeWriter.jobExecutions";

	static final String INSTANCES_KEY = "repositoryPurgeWriter.jobInstances";

	static final String ROWS_KEY = "repositoryPurgeWriter.rows";

	private final JobMetadataPurger purger;

	private PurgeCounts committed = PurgeCounts.NONE;

	private PurgeCounts pending = PurgeCounts.NONE;

	public RepositoryPurgeWriter(JobMetadataPurger purger) {
		this.purger = purger;
	}

	@Override
	public void write(Chunk<? extends PurgeCandidate> chunk) {
		List<Long> executions = chunk.getItems().stream().map(PurgeCandidate::jobExecutionId).toList();
		Set<Long> instances = new LinkedHashSet<>();
		chunk.getItems().forEach((candidate) -> instances.add(candidate.jobInstanceId()));
		PurgeCounts counts = this.purger.purge(executions, instances);
		this.pending = this.pending.plus(counts);
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					if (status == STATUS_COMMITTED) {
						RepositoryPurgeWriter.this.committed = RepositoryPurgeWriter.this.committed
							.plus(RepositoryPurgeWriter.this.pending);
					}
					RepositoryPurgeWriter.this.pending = PurgeCounts.NONE;
				}
			});
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Purged job executions " + executions + ": " + counts.describe());
		}
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.committed = read(executionContext);
		this.pending = PurgeCounts.NONE;
	}

	@Override
	public void update(ExecutionContext executionContext) {
		// Called inside the chunk transaction, just before it commits: the stored
		// total includes this chunk exactly when its deletes are committed with it.
		PurgeCounts total = this.committed.plus(this.pending);
		executionContext.putLong(EXECUTIONS_KEY, total.jobExecutions());
		executionContext.putLong(INSTANCES_KEY, total.jobInstances());
		executionContext.putLong(ROWS_KEY, total.rows());
	}

	static PurgeCounts read(ExecutionContext executionContext) {
		return new PurgeCounts(executionContext.getLong(EXECUTIONS_KEY, 0), executionContext.getLong(INSTANCES_KEY, 0),
				executionContext.getLong(ROWS_KEY, 0));
	}

}
