package io.batchyard.launcher.runner;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Joins this node to the repository on start-up, writes its heartbeat, recovers
 * executions of dead nodes (server role only) and leaves the repository on shutdown,
 * after {@link RunnerShutdown} stopped this node's running executions (they end STOPPED
 * and can be restarted) and the web server closed.
 */
public class RunnerLifecycle implements SmartLifecycle {

	/**
	 * Starts before the queue listeners, so that the node is registered before it takes
	 * work; stops after {@link RunnerShutdown} waited for the executions, and before the
	 * job executor.
	 */
	static final int PHASE = Integer.MAX_VALUE - 2048;

	private static final Log logger = LogFactory.getLog(RunnerLifecycle.class);

	private final RunnerNode node;

	private final RunnerProperties properties;

	private final JobRepository jobRepository;

	private final JobOperator jobOperator;

	private final TaskScheduler scheduler;

	private final Duration retention;

	private final TransactionTemplate transaction;

	private volatile boolean running;

	private ScheduledFuture<?> heartbeat;

	public RunnerLifecycle(RunnerNode node, RunnerProperties properties, JobRepository jobRepository,
			JobOperator jobOperator, TaskScheduler scheduler, Duration retention,
			PlatformTransactionManager transactionManager) {
		this.node = node;
		this.properties = properties;
		this.jobRepository = jobRepository;
		this.jobOperator = jobOperator;
		this.scheduler = scheduler;
		this.retention = retention;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	@Override
	public void start() {
		this.node.register();
		this.node.forgetNodesSilentFor(this.retention);
		this.heartbeat = this.scheduler.scheduleWithFixedDelay(this::beat, this.properties.heartbeatInterval());
		this.running = true;
	}

	private void beat() {
		try {
			this.node.heartbeat();
			if (!this.properties.isCommandLine()) {
				recoverDeadExecutions();
				recoverDeadPartitions();
			}
		}
		catch (DataAccessException ex) {
			logger.warn("Heartbeat of runner node " + this.node.id() + " failed: " + ex.getMessage());
		}
	}

	/**
	 * Recovers every running execution whose node stopped heart-beating: it becomes
	 * FAILED and its failed step resumes from its last commit when restarted.
	 * @return the executions recovered
	 */
	public List<Long> recoverDeadExecutions() {
		List<Long> dead = this.node.deadExecutions();
		for (Long id : dead) {
			JobExecution execution = this.jobRepository.getJobExecution(id);
			if (execution == null || !execution.getStatus().isRunning()) {
				continue;
			}
			try {
				// Recovery keeps the exit code (the views tell an interrupted execution
				// by
				// it) and says why in the description.
				String why = this.node.deathOf(id) + "; recovered by " + this.node.id();
				execution.setExitStatus(execution.getExitStatus().addExitDescription(why));
				this.jobOperator.recover(execution);
				logger.warn("Recovered job=" + execution.getJobInstance().getJobName() + " execution=" + id + ": " + why
						+ "; now FAILED and restartable");
			}
			catch (OptimisticLockingFailureException ex) {
				logger.info("Execution " + id + " was recovered or updated by another node meanwhile");
			}
		}
		return dead;
	}

	/**
	 * Recovers every running partition whose worker node stopped heart-beating (remote
	 * partitioning): it becomes FAILED, so that its manager, which polls the repository,
	 * stops waiting and ends FAILED once no other partition runs; a restart then runs
	 * only the partitions that did not complete, each from its last commit. The
	 * partition's update uses the repository's optimistic lock: a worker that is alive
	 * after all fails its next commit instead of overwriting the recovery.
	 * @return the partitions recovered
	 */
	public List<Long> recoverDeadPartitions() {
		List<Long> dead = this.node.deadPartitions();
		for (Long id : dead) {
			StepExecution partition = this.jobRepository.getStepExecution(id);
			if (partition == null || !partition.getStatus().isRunning()) {
				continue;
			}
			String why = this.node.partitionDeathOf(id) + "; recovered by " + this.node.id();
			try {
				this.transaction.executeWithoutResult((status) -> {
					partition.setStatus(BatchStatus.FAILED);
					partition.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
					partition.setEndTime(LocalDateTime.now());
					this.jobRepository.update(partition);
					this.node.partitionRecovered(id);
				});
				logger.warn("Recovered partition " + partition.getStepName() + " (step execution " + id
						+ ") of job execution " + partition.getJobExecutionId() + ": " + why
						+ "; now FAILED, run again by a restart");
			}
			catch (OptimisticLockingFailureException ex) {
				logger.info("Partition " + id + " was recovered or updated by another node meanwhile");
			}
		}
		return dead;
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.heartbeat != null) {
			this.heartbeat.cancel(false);
		}
		try {
			this.node.deregister();
		}
		catch (DataAccessException ex) {
			logger.warn("Could not leave the job repository cleanly: " + ex.getMessage());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
