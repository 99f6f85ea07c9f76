package io.batchyard.launcher.trigger.schedule;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Cron schedules, {@code batchyard.schedules.<name>.{cron,job,parameters}}, and the
 * scheduler's switch and zone ({@code batchyard.scheduler.*}).
 *
 * @param schedules the schedules by name
 * @param scheduler the scheduler settings
 */
@Validated
@ConfigurationProperties("batchyard")
public record ScheduleProperties(Map<String, Schedule> schedules, @DefaultValue @Valid Scheduler scheduler) {

	/** A cron expression of {@code -} disables a schedule. */
	public static final String DISABLED = "-";

	public ScheduleProperties {
		schedules = (schedules != null) ? new LinkedHashMap<>(schedules) : new LinkedHashMap<>();
	}

	/**
	 * One schedule.
	 *
	 * @param cron a Spring cron expression (six fields, seconds first), or {@code -}
	 * @param job the job to launch
	 * @param parameters further job parameters, in Spring Batch notation; the identifying
	 * parameter {@code fireTime} (the scheduled fire time, an ISO-8601 instant) is added
	 * @param enabled {@code false} switches the schedule off whatever its cron
	 * expression: the defaults tie a job's schedules to the job's own switch (for example
	 * {@code batchyard.jobs.postingest.enabled}), so turning a job off turns its
	 * schedules off
	 */
	public record Schedule(String cron, String job, Map<String, String> parameters,
			@DefaultValue("true") boolean enabled) {

		public Schedule {
			parameters = (parameters != null) ? Map.copyOf(parameters) : Map.of();
		}

		/**
		 * Whether the schedule fires: switched on, with a cron expression other than
		 * {@value ScheduleProperties#DISABLED}.
		 * @return whether it is in force
		 */
		@Override
		public boolean enabled() {
			return this.enabled && this.cron != null && !this.cron.isBlank() && !DISABLED.equals(this.cron.trim());
		}

	}

	/**
	 * The scheduler.
	 *
	 * @param enabled whether this node fires schedules (several nodes may: each fire time
	 * launches once) and launches the fires other nodes recorded but did not launch
	 * @param zone the zone cron expressions are read in
	 * @param sweepInterval how often this node looks for recorded fires that were not
	 * launched: claimed by a node that died (its heartbeat expired) or whose claim is
	 * older than the claim timeout, or due to be tried again after a failed launch
	 * @param claimTimeout after how long a fire still claimed but not launched is taken
	 * over even though its node still heart-beats (it lost its database while launching);
	 * keep it well above a launch's duration
	 * @param launchAttempts how many times a recorded fire's launch is tried (by any
	 * node) before it is given up; the waits between tries double from the sweep
	 * interval, up to 15 minutes
	 * @param launchDelay test hook: a pause between recording a timer's fire and
	 * launching it, so that a test can kill the node at that moment; leave at zero
	 */
	public record Scheduler(@DefaultValue("true") boolean enabled, ZoneId zone,
			@DefaultValue("5s") @NotNull Duration sweepInterval, @DefaultValue("5m") @NotNull Duration claimTimeout,
			@DefaultValue("10") @Min(1) int launchAttempts, @DefaultValue("0s") @NotNull Duration launchDelay) {

		@ConstructorBinding
		public Scheduler {
			zone = (zone != null) ? zone : ZoneId.systemDefault();
		}

		/**
		 * A scheduler with the default sweep, claim timeout, attempts and no delay.
		 * @param enabled whether this node fires schedules
		 * @param zone the zone cron expressions are read in
		 */
		public Scheduler(boolean enabled, ZoneId zone) {
			this(enabled, zone, Duration.ofSeconds(5), Duration.ofMinutes(5), 10, Duration.ZERO);
		}

	}

}
