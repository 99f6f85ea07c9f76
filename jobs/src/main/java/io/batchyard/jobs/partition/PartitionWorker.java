package io.batchyard.jobs.partition;

import java.time.LocalDateTime;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the partition a {@link StepExecutionRequest} names, at most once, whatever the
 * transport delivers.
 * <p>
 * Spring Batch Integration's {@link StepExecutionRequestHandler} (6.0.x) executes
 * whatever step execution a request names: it checks neither its status nor whether
 * another worker is running it, so a request delivered twice (SQS delivers at least once,
 * and again after the visibility timeout) would run a partition twice, at the same time
 * or after it completed. This worker first claims the partition in the job repository:
 * only a step execution still {@code STARTING} (created by the manager, never run) is
 * taken, by moving it to {@code STARTED} with the repository's optimistic lock (its
 * {@code VERSION}), so of two workers reading it at once exactly one wins. Only then does
 * it hand the request to the {@link StepExecutionRequestHandler}, which runs the worker
 * step on it. The claim records this node ({@link PartitionClaims}) in the same
 * transaction, so that a partition whose worker dies is recovered from the node's
 * heartbeat like any execution. A restart creates new step executions, so a partition
 * that failed runs again only through a restart.
 */
public class PartitionWorker {

	private static final Log logger = LogFactory.getLog(PartitionWorker.class);

	private final JobRepository jobRepository;

	private final PartitionSteps steps;

	private final StepExecutionRequestHandler handler = new StepExecutionRequestHandler();

	private final PartitionClaims claims;

	private final TransactionTemplate transaction;

	public PartitionWorker(JobRepository jobRepository, PartitionSteps steps, PartitionClaims claims,
			PlatformTransactionManager transactionManager) {
		this.jobRepository = jobRepository;
		this.steps = steps;
		this.claims = claims;
		this.transaction = new TransactionTemplate(transactionManager);
		this.handler.setJobRepository(jobRepository);
		this.handler.setStepLocator(steps);
	}

	/**
	 * Claims and runs the partition of a request, on the calling thread.
	 * @param request the request
	 * @return what happened to it
	 */
	public Outcome handle(StepExecutionRequest request) {
		String where = "partition request step=" + request.getStepName() + " stepExecution="
				+ request.getStepExecutionId();
		Step step = this.steps.getStep(request.getStepName());
		if (step == null) {
			logger.warn("Refused " + where + ": no partition worker step of that name (known: "
					+ this.steps.workerStepNames() + ")");
			return Outcome.REFUSED;
		}
		StepExecution execution = find(request.getStepExecutionId());
		if (execution == null) {
			logger.info("Dropped " + where + ": no such step execution (purged or never created)");
			return Outcome.GONE;
		}
		if (!execution.getStepName().startsWith(request.getStepName() + ":")) {
			// The splitter names partitions "<worker step>:<partition>": a request naming
			// another step than its execution's is forged or corrupt.
			logger.warn("Refused " + where + ": the step execution belongs to step " + execution.getStepName());
			return Outcome.REFUSED;
		}
		if (execution.getStatus() != BatchStatus.STARTING) {
			logger.info("Dropped duplicate " + where + " (" + execution.getStepName() + "): it is already "
					+ execution.getStatus());
			return Outcome.DUPLICATE;
		}
		BatchStatus job = execution.getJobExecution().getStatus();
		if (!job.isRunning()) {
			// The manager is gone (failed, recovered after its node died, abandoned): the
			// partition is closed as FAILED rather than run, so that a restart, which
			// refuses to follow a partition left STARTING, runs it again.
			return close(execution, where,
					"job execution " + execution.getJobExecutionId() + " is " + job + "; the partition was not run");
		}
		execution.setStatus(BatchStatus.STARTED);
		execution.setStartTime(LocalDateTime.now());
		try {
			this.transaction.executeWithoutResult((status) -> {
				this.jobRepository.update(execution);
				this.claims.claimed(execution);
			});
		}
		catch (OptimisticLockingFailureException ex) {
			logger.info("Dropped duplicate " + where + " (" + execution.getStepName()
					+ "): another worker claimed it first");
			return Outcome.DUPLICATE;
		}
		logger.info("Running " + where + " (" + execution.getStepName() + ") of job execution "
				+ execution.getJobExecutionId());
		StepExecution result = this.handler.handle(request);
		if (result.getStatus() == BatchStatus.FAILED && !result.getFailureExceptions().isEmpty()) {
			persistFailure(result, where);
		}
		logger.info("Finished " + where + " (" + result.getStepName() + "): " + result.getStatus() + " read="
				+ result.getReadCount() + " written=" + result.getWriteCount() + " skipped=" + result.getSkipCount());
		return Outcome.RAN;
	}

	/**
	 * The step execution, or {@code null}: the JDBC repository of Batch 6 answers an
	 * unknown id with an exception rather than {@code null}.
	 */
	private StepExecution find(long id) {
		try {
			return this.jobRepository.getStepExecution(id);
		}
		catch (EmptyResultDataAccessException ex) {
			return null;
		}
	}

	private Outcome close(StepExecution execution, String where, String reason) {
		LocalDateTime now = LocalDateTime.now();
		execution.setStatus(BatchStatus.FAILED);
		execution.setExitStatus(ExitStatus.FAILED.addExitDescription(reason));
		execution.setStartTime(now);
		execution.setEndTime(now);
		try {
			this.jobRepository.update(execution);
			logger.warn("Closed " + where + " (" + execution.getStepName() + ") as FAILED: " + reason);
		}
		catch (OptimisticLockingFailureException ex) {
			logger.info(
					"Dropped duplicate " + where + " (" + execution.getStepName() + "): another worker took it first");
			return Outcome.DUPLICATE;
		}
		return Outcome.GONE;
	}

	/**
	 * The step records its own failures; the handler only marks in memory a failure that
	 * escaped the step (its first or last repository update). Record it if the repository
	 * still shows the partition running, so the manager stops waiting for it.
	 */
	private void persistFailure(StepExecution result, String where) {
		StepExecution stored = find(result.getId());
		if (stored == null || !stored.getStatus().isRunning()) {
			return;
		}
		stored.setStatus(BatchStatus.FAILED);
		stored.setExitStatus(ExitStatus.FAILED.addExitDescription(result.getFailureExceptions().get(0)));
		stored.setEndTime(LocalDateTime.now());
		try {
			this.jobRepository.update(stored);
		}
		catch (RuntimeException ex) {
			logger.error("Cannot record the failure of " + where + "; it stays " + stored.getStatus(), ex);
		}
	}

	/**
	 * What became of a request.
	 */
	public enum Outcome {

		/** This worker ran the partition (to whatever end it came). */
		RAN,

		/** Another delivery already ran or is running it: nothing to do. */
		DUPLICATE,

		/**
		 * Nothing left to run: its step execution no longer exists, or its job execution
		 * has ended (the partition is then closed as FAILED for a restart).
		 */
		GONE,

		/** Not a request this worker may run: leave it for the dead-letter queue. */
		REFUSED;

		/**
		 * Whether the message carrying the request can be deleted.
		 * @return {@code true} unless refused
		 */
		public boolean isDone() {
			return this != REFUSED;
		}

	}

}
