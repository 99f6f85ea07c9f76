package io.batchyard.launcher.trigger.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
import io.batchyard.launcher.trigger.schedule.ScheduleFireLedger.Fire;
import io.batchyard.launcher.trigger.schedule.ScheduleFireLedger.LastFire;
import io.batchyard.launcher.trigger.schedule.ScheduleFireLedger.Stranded;
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
 * that another node launches it. A fire that was recorded but not launched (its node died
 * in between, or the launch failed) is launched by the {@link #sweep} of any node that
 * fires schedules.
 */
public class ScheduledLaunches implements SmartLifecycle, LaunchTrigger {

	private static final JobParametersParser PARSER = new JobParametersParser();

	static final String FIRE_TIME = "fireTime";

	/** The longest wait between two launch attempts of a fire. */
	private static final Duration MAX_BACK_OFF = Duration.ofMinutes(15);

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

	private volatile ScheduledFuture<?> sweep;

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
			this.sweep = this.scheduler.scheduleWithFixedDelay(this::sweepQuietly,
					this.properties.scheduler().sweepInterval());
			logger.info("Scheduler started on node " + this.node.id() + " with schedules " + this.crons.keySet());
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.timers.values().forEach((timer) -> timer.cancel(false));
		this.timers.clear();
		this.nextFires.clear();
		ScheduledFuture<?> sweep = this.sweep;
		if (sweep != null) {
			sweep.cancel(false);
			this.sweep = null;
		}
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
			fireOnce(name, fireTime, this.properties.scheduler().launchDelay());
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
		return fireOnce(name, fireTime, Duration.ZERO);
	}

	private FireOutcome fireOnce(String name, Instant fireTime, Duration launchDelay) {
		Schedule schedule = schedule(name);
		if (!this.launchService.isAcceptingLaunches()) {
			// Before the claim: a fire time this node claims while shutting down waits
			// for another node's sweep.
			throw new LaunchRefusedException(Reason.SHUTTING_DOWN, "This runner node is shutting down");
		}
		Fire fire = new Fire(name, fireTime, schedule.job(), parameters(schedule, fireTime));
		try {
			if (!this.ledger.claim(fire, this.node.id(), this.clock.instant())) {
				logger.info("Schedule '" + name + "' for " + fireTime + " was launched by another node");
				return new FireOutcome(name, fireTime, null, "claimed by another node");
			}
		}
		catch (DataAccessException ex) {
			logger.error("Schedule '" + name + "' for " + fireTime + " not launched: database unavailable: "
					+ ex.getMessage());
			return new FireOutcome(name, fireTime, null, "database unavailable: " + ex.getMessage());
		}
		if (!launchDelay.isZero() && !launchDelay.isNegative()) {
			logger.warn("Schedule '" + name + "' for " + fireTime + " recorded by node " + this.node.id()
					+ "; launching it in " + launchDelay + " (test hook batchyard.scheduler.launch-delay)");
			this.scheduler.schedule(() -> launchQuietly(fire), this.clock.instant().plus(launchDelay));
			return new FireOutcome(name, fireTime, null, "recorded, launching in " + launchDelay);
		}
		return launch(fire, null, 1);
	}

	private void launchQuietly(Fire fire) {
		try {
			launch(fire, null, 1);
		}
		catch (RuntimeException ex) {
			logger.error("Schedule '" + fire.schedule() + "' failed to launch for " + fire.fireTime(), ex);
		}
	}

	/**
	 * Launches the fires that were recorded but not launched: claimed by a node that
	 * stopped heart-beating (it died between recording and launching them) or longer ago
	 * than the claim timeout, or due to be tried again after a failed launch. Each is
	 * taken over by a conditional update, so exactly one node launches it, with the
	 * parameters recorded with it; if its instance already has an execution (the launch
	 * happened after all), that execution is recorded instead.
	 * @return the outcomes of the fires this node took over
	 */
	public List<FireOutcome> sweep() {
		if (!this.launchService.isAcceptingLaunches()) {
			return List.of();
		}
		Instant now = this.clock.instant();
		Duration heartbeatTimeout = this.node.heartbeatTimeout();
		Duration claimTimeout = this.properties.scheduler().claimTimeout();
		List<FireOutcome> outcomes = new ArrayList<>();
		for (Stranded stranded : this.ledger.stranded(now, heartbeatTimeout, claimTimeout)) {
			if (!this.launchService.isAcceptingLaunches()) {
				break;
			}
			if (!this.ledger.takeOver(stranded, this.node.id(), now, heartbeatTimeout, claimTimeout)) {
				// Another node's sweep won it.
				continue;
			}
			String why = ScheduleFireLedger.CLAIMED.equals(stranded.state())
					? "recorded by node " + stranded.nodeId() + ", which died or lost its database before launching it"
					: "its last launch failed";
			logger.warn("Schedule '" + stranded.fire().schedule() + "' for " + stranded.fire().fireTime() + " was "
					+ why + "; node " + this.node.id() + " takes it over");
			outcomes.add(launchStranded(stranded, why));
		}
		return outcomes;
	}

	private void sweepQuietly() {
		try {
			sweep();
		}
		catch (RuntimeException ex) {
			logger.warn("Looking for schedule fires left unlaunched failed, tried again in "
					+ this.properties.scheduler().sweepInterval() + ": " + ex.getMessage());
		}
	}

	private FireOutcome launchStranded(Stranded stranded, String why) {
		Fire fire = stranded.fire();
		int attempt = stranded.attempts() + 1;
		if (fire.job() == null || fire.parameters() == null) {
			// Recorded before the ledger kept the launch: the schedule's current
			// settings.
			Schedule schedule = this.properties.schedules().get(fire.schedule());
			if (schedule == null) {
				String outcome = "not launched: schedule '" + fire.schedule() + "' is no longer configured";
				this.ledger.refused(fire, this.node.id(), outcome);
				return new FireOutcome(fire.schedule(), fire.fireTime(), null, outcome);
			}
			fire = new Fire(fire.schedule(), fire.fireTime(), schedule.job(), parameters(schedule, fire.fireTime()));
		}
		int attempts = this.properties.scheduler().launchAttempts();
		if (attempt > attempts) {
			String outcome = "gave up after " + attempts + " launch attempts; the last was " + why;
			this.ledger.refused(fire, this.node.id(), outcome);
			logger.error("Schedule '" + fire.schedule() + "' for " + fire.fireTime() + " " + outcome);
			return new FireOutcome(fire.schedule(), fire.fireTime(), null, outcome);
		}
		return launch(fire, why, attempt);
	}

	/**
	 * Launches a fire this node holds the claim of, and records the outcome.
	 * @param fire the fire
	 * @param takenOver why this node took it over, or {@code null} for a fire it claimed
	 * itself: a taken-over fire may have been launched already
	 * @param attempt the launch attempt this is
	 */
	private FireOutcome launch(Fire fire, String takenOver, int attempt) {
		String nodeId = this.node.id();
		LaunchRequest request = new LaunchRequest(fire.job(), fire.parameters(), Trigger.SCHEDULE);
		String name = fire.schedule();
		Instant fireTime = fire.fireTime();
		try {
			if (takenOver != null) {
				JobExecution existing = this.launchService.lastExecution(request);
				if (existing != null) {
					String outcome = "launched before it was taken over (execution " + existing.getId() + ", "
							+ existing.getStatus() + ")";
					recorded(fire, this.ledger.launched(fire, nodeId, existing.getId(), outcome));
					logger.info("Schedule '" + name + "' for " + fireTime + " had been launched as execution "
							+ existing.getId() + "; recorded, not launched again");
					return new FireOutcome(name, fireTime, existing.getId(), outcome);
				}
			}
			JobExecution execution = this.launchService.launch(request);
			String outcome = (takenOver != null) ? "launched by node " + nodeId + " after it was " + takenOver
					: "launched";
			recorded(fire, this.ledger.launched(fire, nodeId, execution.getId(), outcome));
			logger.info("Schedule '" + name + "' launched job=" + fire.job() + " execution=" + execution.getId()
					+ " for fireTime " + fireTime + ((takenOver != null) ? " (taken over)" : ""));
			return new FireOutcome(name, fireTime, execution.getId(), "launched");
		}
		catch (LaunchRefusedException ex) {
			String outcome = ex.getReason() + ": " + ex.getMessage();
			if (ex.getReason() == Reason.SHUTTING_DOWN) {
				// Not tried: another node launches it at its next sweep.
				this.ledger.retry(fire, nodeId, this.clock.instant(), false,
						"node " + nodeId + " began shutting down before launching it");
				logger.info("Schedule '" + name + "' for " + fireTime
						+ " left to another node: this node began shutting down before launching it");
			}
			else if (ex.getReason().isDuplicate() && ex.getExecutionId() != null) {
				recorded(fire, this.ledger.launched(fire, nodeId, ex.getExecutionId(), outcome));
				logger.warn("Schedule '" + name + "' for " + fireTime + " did not launch: " + ex.getMessage());
			}
			else {
				recorded(fire, this.ledger.refused(fire, nodeId, outcome));
				logger.warn("Schedule '" + name + "' for " + fireTime + " did not launch: " + ex.getMessage());
			}
			return new FireOutcome(name, fireTime, ex.getExecutionId(), outcome);
		}
		catch (RuntimeException ex) {
			return failed(fire, attempt, ex);
		}
	}

	/**
	 * A launch that failed without a refusal (the database, a transient error): tried
	 * again by any node after a doubling wait, until the attempts are spent.
	 */
	private FireOutcome failed(Fire fire, int attempt, RuntimeException ex) {
		String nodeId = this.node.id();
		int attempts = this.properties.scheduler().launchAttempts();
		String outcome;
		if (attempt >= attempts) {
			outcome = "gave up after " + attempts + " launch attempts; the last failed: " + ex.getMessage();
			this.ledger.refused(fire, nodeId, outcome);
			logger.error("Schedule '" + fire.schedule() + "' for " + fire.fireTime() + " " + outcome, ex);
		}
		else {
			Instant next = this.clock.instant().plus(backOff(attempt));
			outcome = "launch attempt " + attempt + " of " + attempts + " failed, tried again from " + next + ": "
					+ ex.getMessage();
			this.ledger.retry(fire, nodeId, next, true, outcome);
			logger.warn("Schedule '" + fire.schedule() + "' for " + fire.fireTime() + ": " + outcome, ex);
		}
		return new FireOutcome(fire.schedule(), fire.fireTime(), null, outcome);
	}

	private Duration backOff(int attempt) {
		Duration wait = this.properties.scheduler().sweepInterval();
		for (int i = 1; i < attempt && wait.compareTo(MAX_BACK_OFF) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(MAX_BACK_OFF) > 0) ? MAX_BACK_OFF : wait;
	}

	private void recorded(Fire fire, boolean recorded) {
		if (!recorded) {
			logger.info("Schedule '" + fire.schedule() + "' for " + fire.fireTime()
					+ ": another node took the fire over meanwhile (this node counted as dead); it finds the same"
					+ " job instance");
		}
	}

	private static Map<String, String> parameters(Schedule schedule, Instant fireTime) {
		Map<String, String> parameters = new LinkedHashMap<>(schedule.parameters());
		parameters.put(FIRE_TIME, fireTime.toString());
		return parameters;
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
