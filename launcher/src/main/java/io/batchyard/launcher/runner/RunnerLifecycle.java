package io.batchyard.launcher.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.launcher.launch.JobLaunchService;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.scheduling.TaskScheduler;

/**
 * Joins this node to the repository on start-up, writes its heartbeat, recovers
 * executions of dead nodes (server role only) and, on shutdown (SIGTERM), stops this
 * node's running executions so that they end STOPPED and can be restarted.
 */
public class RunnerLifecycle implements SmartLifecycle {

	/** Stops before the job executor, so running jobs still have their threads. */
	static final int PHASE = Integer.MAX_VALUE - 2048;

	private static final Log logger = LogFactory.getLog(RunnerLifecycle.class);

	private final RunnerNode node;

	private final RunnerProperties properties;

	private final JobRepository jobRepository;

	private final JobOperator jobOperator;

	private final TaskScheduler scheduler;

	private final JobLaunchService launchService;

	private final Duration retention;

	private volatile boolean running;

	private ScheduledFuture<?> heartbeat;

	public RunnerLifecycle(RunnerNode node, RunnerProperties properties, JobRepository jobRepository,
			JobOperator jobOperator, TaskScheduler scheduler, JobLaunchService launchService, Duration retention) {
		this.node = node;
		this.properties = properties;
		this.jobRepository = jobRepository;
		this.jobOperator = jobOperator;
		this.scheduler = scheduler;
		this.launchService = launchService;
		this.retention = retention;
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

	@Override
	public void stop() {
		this.running = false;
		this.launchService.refuseNewLaunches();
		if (this.heartbeat != null) {
			this.heartbeat.cancel(false);
		}
		try {
			stopRunningExecutions();
			this.node.deregister();
		}
		catch (DataAccessException ex) {
			logger.warn("Could not leave the job repository cleanly: " + ex.getMessage());
		}
	}

	private void stopRunningExecutions() {
		List<Long> running = this.node.runningExecutions();
		for (Long id : running) {
			JobExecution execution = this.jobRepository.getJobExecution(id);
			if (execution == null) {
				continue;
			}
			logger.info("Shutting down: stopping job=" + execution.getJobInstance().getJobName() + " execution=" + id);
			// false: it finished meanwhile
			this.launchService.requestStop(execution);
		}
		Instant deadline = Instant.now().plus(this.properties.shutdownTimeout());
		running = this.node.executionsWithRunningSteps();
		while (!running.isEmpty() && Instant.now().isBefore(deadline)) {
			running = this.node.executionsWithRunningSteps();
			if (!running.isEmpty()) {
				pause(Duration.ofMillis(100));
			}
		}
		if (!running.isEmpty()) {
			logger.warn("Shutting down with executions " + running + " still running: another node recovers them "
					+ "once this node's heartbeat expires");
		}
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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
