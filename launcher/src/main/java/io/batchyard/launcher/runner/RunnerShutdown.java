package io.batchyard.launcher.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.launcher.launch.JobLaunchService;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.dao.DataAccessException;

/**
 * What a server node does from the moment SIGTERM arrives (the context closing), in this
 * order:
 * <ol>
 * <li>the launch service refuses every new launch: HTTP answers 503, a queue message is
 * left for another node;
 * <li>every {@link LaunchTrigger} goes silent: queues are no longer polled, schedules no
 * longer fire;
 * <li>each execution this node runs is asked to stop (it ends STOPPED at its next chunk
 * boundary).
 * </ol>
 * This runs on the {@link ContextClosedEvent}, which Spring publishes before it stops any
 * {@link SmartLifecycle}: stopping the queue listeners waits for their long polls and
 * took seconds, and nothing may start meanwhile. Then, as the first lifecycle to stop
 * after the schedules, and before the web server's graceful shutdown closes the port, it
 * waits up to {@code batchyard.runner.shutdown-timeout} for the executions to stop: until
 * then the API still answers (launches with 503) and the dashboard shows them stopping.
 */
public class RunnerShutdown
		implements ApplicationListener<ContextClosedEvent>, SmartLifecycle, ApplicationContextAware {

	/**
	 * After the schedules (the default phase), before the web server's graceful shutdown
	 * ({@code Integer.MAX_VALUE - 1024}), the queue listeners and
	 * {@link RunnerLifecycle}.
	 */
	static final int PHASE = Integer.MAX_VALUE - 512;

	private static final Log logger = LogFactory.getLog(RunnerShutdown.class);

	private static final Duration POLL = Duration.ofMillis(100);

	private final RunnerNode node;

	private final RunnerProperties properties;

	private final JobRepository jobRepository;

	private final JobLaunchService launchService;

	private final ObjectProvider<LaunchTrigger> triggers;

	private ApplicationContext applicationContext;

	private volatile boolean running;

	private volatile boolean shuttingDown;

	public RunnerShutdown(RunnerNode node, RunnerProperties properties, JobRepository jobRepository,
			JobLaunchService launchService, ObjectProvider<LaunchTrigger> triggers) {
		this.node = node;
		this.properties = properties;
		this.jobRepository = jobRepository;
		this.launchService = launchService;
		this.triggers = triggers;
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		this.applicationContext = applicationContext;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		// A child context (a separate management port) closing is not this node's
		// shutdown; the command line runs its one execution on the calling thread.
		if (event.getApplicationContext() != this.applicationContext || this.properties.isCommandLine()) {
			return;
		}
		begin();
	}

	/**
	 * Refuses new launches, silences the triggers and asks the running executions to
	 * stop, once.
	 */
	private synchronized void begin() {
		if (this.shuttingDown) {
			return;
		}
		this.shuttingDown = true;
		this.launchService.refuseNewLaunches();
		logger.info("Shutting down runner node " + this.node.id() + ": new launches are refused");
		this.triggers.orderedStream().forEach((trigger) -> {
			try {
				trigger.stopLaunching();
			}
			catch (RuntimeException ex) {
				// Launches are refused anyway: what it still takes is handed back.
				logger.warn("Shutting down: " + trigger + " did not stop: " + ex);
			}
		});
		List<Long> running;
		try {
			running = this.node.runningExecutions();
		}
		catch (DataAccessException ex) {
			logger.warn("Shutting down: could not read this node's executions: " + ex.getMessage());
			return;
		}
		running.forEach(this::requestStop);
	}

	private void requestStop(Long id) {
		try {
			JobExecution execution = this.jobRepository.getJobExecution(id);
			if (execution != null && this.launchService.requestStop(execution)) {
				logger.info(
						"Shutting down: stopping job=" + execution.getJobInstance().getJobName() + " execution=" + id);
			}
		}
		catch (DataAccessException ex) {
			logger.warn("Shutting down: could not ask execution " + id + " to stop: " + ex.getMessage());
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Waits for the executions asked to stop to reach their chunk boundary. Nothing to do
	 * when the context is only stopped, not closed (the test framework pauses the
	 * contexts it caches): it may start again and take launches.
	 */
	@Override
	public void stop() {
		this.running = false;
		if (!this.shuttingDown) {
			return;
		}
		try {
			awaitStopped();
		}
		catch (DataAccessException ex) {
			logger.warn("Shutting down: could not follow this node's executions: " + ex.getMessage());
		}
	}

	private void awaitStopped() {
		Instant deadline = Instant.now().plus(this.properties.shutdownTimeout());
		List<Long> running = this.node.executionsWithRunningSteps();
		while (!running.isEmpty() && Instant.now().isBefore(deadline) && pause()) {
			running = this.node.executionsWithRunningSteps();
		}
		if (!running.isEmpty()) {
			logger.warn("Shutting down with executions " + running + " still running: another node recovers them "
					+ "once this node's heartbeat expires");
		}
	}

	private static boolean pause() {
		try {
			Thread.sleep(POLL.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
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
