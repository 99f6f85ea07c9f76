package io.batchyard.launcher.trigger.schedule;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.LaunchRequest.Trigger;
import io.batchyard.launcher.catalogue.JobCatalogue;
import io.batchyard.launcher.trigger.schedule.ScheduleProperties.Schedule;

import org.springframework.context.SmartLifecycle;

/**
 * Checks every configured schedule against its job's declaration at start-up: a schedule
 * of a job that is not registered, or whose parameters the job's declarations refuse (a
 * required parameter missing, a value of the wrong type or format), stops start-up with a
 * message naming the schedule, the job and the parameter, instead of failing at each fire
 * with nobody watching. Each schedule is checked as it will fire: its parameters plus
 * {@code fireTime}, launched by a schedule (so defaults meant for launches by hand do not
 * apply). Checks that depend on the moment of the launch are left to the launch.
 * <p>
 * A lifecycle of the earliest phase: it runs once every job is registered (the registry
 * fills itself after the singletons are created) and before anything else starts (the web
 * server, the queue listeners, the scheduler). A disabled schedule ({@code cron=-}) of an
 * unregistered job is only logged: it never fires, and turning a job off
 * ({@code batchyard.jobs.postingest.enabled=false}) then only needs its schedules turned
 * off too.
 */
class ScheduleCheck implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ScheduleCheck.class);

	private final ScheduleProperties properties;

	private final JobCatalogue catalogue;

	private final Clock clock;

	private volatile boolean checked;

	ScheduleCheck(ScheduleProperties properties, JobCatalogue catalogue, Clock clock) {
		this.properties = properties;
		this.catalogue = catalogue;
		this.clock = clock;
	}

	/**
	 * What is wrong with the schedules.
	 * @return one line per schedule its job would refuse, empty when all are fine
	 */
	List<String> problems() {
		List<String> problems = new ArrayList<>();
		this.properties.schedules().forEach((name, schedule) -> problem(name, schedule).ifPresent(problems::add));
		return problems;
	}

	private Optional<String> problem(String name, Schedule schedule) {
		String job = schedule.job();
		if (job == null || job.isBlank()) {
			return Optional.of("Schedule '" + name + "' needs batchyard.schedules." + name + ".job");
		}
		if (!this.catalogue.isRegistered(job)) {
			String message = "Schedule '" + name + "' names the job '" + job
					+ "', which is not registered (known jobs: " + this.catalogue.jobNames()
					+ "): correct batchyard.schedules." + name
					+ ".job, or disable the schedule with batchyard.schedules." + name + ".cron=-";
			if (schedule.enabled()) {
				return Optional.of(message);
			}
			logger.info(message + " (it is disabled, so it never fires)");
			return Optional.empty();
		}
		Map<String, String> parameters = new LinkedHashMap<>(schedule.parameters());
		parameters.put(ScheduledLaunches.FIRE_TIME, this.clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
		return this.catalogue.refusal(new LaunchRequest(job, parameters, Trigger.SCHEDULE))
			.map((refusal) -> "Schedule '" + name + "' cannot launch " + job + " (batchyard.schedules." + name
					+ ".parameters.*): " + refusal);
	}

	@Override
	public void start() {
		List<String> problems = problems();
		if (!problems.isEmpty()) {
			throw new IllegalStateException(((problems.size() == 1) ? "" : problems.size() + " schedules are invalid: ")
					+ String.join("; ", problems));
		}
		this.checked = true;
	}

	@Override
	public void stop() {
		this.checked = false;
	}

	@Override
	public boolean isRunning() {
		return this.checked;
	}

	@Override
	public int getPhase() {
		return Integer.MIN_VALUE;
	}

}
