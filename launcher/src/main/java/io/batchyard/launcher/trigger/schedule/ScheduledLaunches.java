package io.batchyard.launcher.trigger.schedule;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.jobs.launch.JobParametersParser;
import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.LaunchRequest.Trigger;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;
import io.batchyard.launcher.launch.LaunchRefusedException.Reason;
import io.batchyard.launcher.runner.LaunchTrigger;
import io.batchyard.launcher.runner.RunnerNode;
import io.batchyard.launcher.trigger.schedule.ScheduleFireLedger.LastFire;
import io.batchyard.launcher.trigger.schedule.ScheduleProperties.Schedule;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.support.CronExpression;

/**
 * Fires the configured schedules. Each fire time is computed from the cron expression
 * (not from the moment the timer went off), so every node computes the same time; it
 * becomes the identifying {@code fireTime} parameter, and the {@link ScheduleFireLedger}
 * lets exactly one node launch it. A node that is shutting down claims no fire time, so
 * that another node launches it.
 */
public class ScheduledLaunches implements SmartLifecycle, LaunchTrigger {

	private static final JobParametersParser PARSER = new JobParametersParser();

	static final String FIRE_TIME = "fireTime";

	private static final Log logger = LogFactory.getLog(ScheduledLaunches.class);

	private final ScheduleProperties properties;

	private final Map<String, CronExpression> crons = new LinkedHashMap<>();

	private final JobLaunchService launchService;

	private final ScheduleFireLedger ledger;

	private final RunnerNode node;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final Map<String, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();

	private final Map<String, Instant> nextFires = new ConcurrentHashMap<>();

	private volatile boolean running;

	ScheduledLaunches(ScheduleProperties properties, JobLaunchService launchService, ScheduleFireLedger ledger,
			RunnerNode node, TaskScheduler scheduler, Clock clock) {
		this.properties = properties;
		this.launchService = launchService;
		this.ledger = ledger;
		this.node = node;
		this.scheduler = scheduler;
		this.clock = clock;
		properties.schedules().forEach((name, schedule) -> {
			if (schedule.job() == null || schedule.job().isBlank()) {
				throw new IllegalStateException("Schedule '" + name + "' needs batchyard.schedules." + name + ".job");
			}
			try {
				// The same checks as every other entry point, at start-up rather than at
				// each fire.
				PARSER.parse(schedule.parameters());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("Schedule '" + name + "' has invalid parameters: " + ex.getMessage(),
						ex);
			}
			if (schedule.enabled()) {
				try {
					this.crons.put(name, CronExpression.parse(schedule.cron().trim()));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalStateException("Schedule '" + name + "' has an invalid cron expression '"
							+ schedule.cron() + "' (six fields, seconds first, or '-' to disable): " + ex.getMessage(),
							ex);
				}
			}
		});
	}

	@Override
	public void start() {
		this.running = true;
		if (this.properties.scheduler().enabled()) {
			this.crons.keySet().forEach(this::scheduleNext);
			logger.info("Scheduler started on node " + this.node.id() + " with schedules " + this.crons.keySet());
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.timers.values().forEach((timer) -> timer.cancel(false));
		this.timers.clear();
		this.nextFires.clear();
	}

	@Override
	public void stopLaunching() {
		boolean firing = !this.timers.isEmpty();
		stop();
		if (firing) {
			logger
				.info("Shutting down: schedules " + this.crons.keySet() + " no longer fire on node " + this.node.id());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void scheduleNext(String name) {
		ZonedDateTime now = ZonedDateTime.now(this.clock.withZone(this.properties.scheduler().zone()));
		ZonedDateTime next = this.crons.get(name).next(now);
		if (next == null) {
			return;
		}
		Instant fireTime = next.toInstant();
		this.nextFires.put(name, fireTime);
		this.timers.put(name, this.scheduler.schedule(() -> fire(name, fireTime), fireTime));
	}

	private void fire(String name, Instant fireTime) {
		try {
			fireOnce(name, fireTime);
		}
		catch (LaunchRefusedException ex) {
			logger.info("Schedule '" + name + "' for " + fireTime + " not fired here: " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			logger.error("Schedule '" + name + "' failed to fire for " + fireTime, ex);
		}
		finally {
			if (this.running) {
				scheduleNext(name);
			}
		}
	}

	/**
	 * Launches a schedule's job for one fire time, unless another node already did.
	 * @param name the schedule
	 * @param fireTime the fire time, the identifying {@code fireTime} parameter
	 * @return the outcome
	 * @throws LaunchRefusedException if this node is shutting down (nothing claimed)
	 */
	public FireOutcome fireOnce(String name, Instant fireTime) {
		Schedule schedule = schedule(name);
		if (!this.launchService.isAcceptingLaunches()) {
			// Before the claim: a claimed fire time is never launched by another node.
			throw new LaunchRefusedException(Reason.SHUTTING_DOWN, "This runner node is shutting down");
		}
		try {
			if (!this.ledger.claim(name, fireTime, this.node.id())) {
				logger.info("Schedule '" + name + "' for " + fireTime + " was launched by another node");
				return new FireOutcome(name, fireTime, null, "claimed by another node");
			}
		}
		catch (DataAccessException ex) {
			logger.error("Schedule '" + name + "' for " + fireTime + " not launched: database unavailable: "
					+ ex.getMessage());
			return new FireOutcome(name, fireTime, null, "database unavailable: " + ex.getMessage());
		}
		Map<String, String> parameters = new LinkedHashMap<>(schedule.parameters());
		parameters.put(FIRE_TIME, fireTime.toString());
		FireOutcome outcome;
		try {
			JobExecution execution = this.launchService
				.launch(new LaunchRequest(schedule.job(), parameters, Trigger.SCHEDULE));
			outcome = new FireOutcome(name, fireTime, execution.getId(), "launched");
			logger.info("Schedule '" + name + "' launched job=" + schedule.job() + " execution=" + execution.getId()
					+ " for fireTime " + fireTime);
		}
		catch (LaunchRefusedException ex) {
			outcome = new FireOutcome(name, fireTime, ex.getExecutionId(), ex.getReason() + ": " + ex.getMessage());
			logger.warn("Schedule '" + name + "' for " + fireTime + " did not launch: " + ex.getMessage());
		}
		this.ledger.record(name, fireTime, outcome.jobExecutionId(), outcome.outcome());
		return outcome;
	}

	/**
	 * Fires a schedule now ("trigger now"): the fire time is the current second.
	 * @param name the schedule
	 * @return the outcome
	 */
	public FireOutcome triggerNow(String name) {
		return fireOnce(name, this.clock.instant().truncatedTo(ChronoUnit.SECONDS));
	}

	/**
	 * Every configured schedule with its next and last fire.
	 * @return the schedules
	 */
	public List<ScheduleView> schedules() {
		return this.properties.schedules()
			.entrySet()
			.stream()
			.map((entry) -> new ScheduleView(entry.getKey(), entry.getValue().cron(), entry.getValue().job(),
					entry.getValue().enabled() && this.properties.scheduler().enabled(),
					this.nextFires.get(entry.getKey()), this.ledger.last(entry.getKey())))
			.toList();
	}

	private Schedule schedule(String name) {
		Schedule schedule = this.properties.schedules().get(name);
		if (schedule == null) {
			throw new LaunchRefusedException(Reason.UNKNOWN_JOB,
					"No schedule named '" + name + "'; known schedules: " + this.properties.schedules().keySet());
		}
		return schedule;
	}

	/**
	 * What one fire did.
	 *
	 * @param schedule the schedule
	 * @param fireTime the fire time
	 * @param jobExecutionId the execution launched or found
	 * @param outcome what happened
	 */
	public record FireOutcome(String schedule, Instant fireTime, Long jobExecutionId, String outcome) {
	}

	/**
	 * A schedule as the API and dashboard show it.
	 *
	 * @param name the schedule
	 * @param cron its cron expression
	 * @param job its job
	 * @param enabled whether it fires on this node
	 * @param nextFireTime its next fire time on this node
	 * @param lastFire its last fire on any node
	 */
	public record ScheduleView(String name, String cron, String job, boolean enabled, Instant nextFireTime,
			LastFire lastFire) {
	}

}
