package io.batchyard.launcher.trigger.schedule;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cron schedules, {@code batchyard.schedules.<name>.{cron,job,parameters}}, and the
 * scheduler's switch and zone ({@code batchyard.scheduler.*}).
 *
 * @param schedules the schedules by name
 * @param scheduler the scheduler settings
 */
@ConfigurationProperties("batchyard")
public record ScheduleProperties(Map<String, Schedule> schedules, @DefaultValue Scheduler scheduler) {

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
	 * launches once)
	 * @param zone the zone cron expressions are read in
	 */
	public record Scheduler(@DefaultValue("true") boolean enabled, ZoneId zone) {

		public Scheduler {
			zone = (zone != null) ? zone : ZoneId.systemDefault();
		}

	}

}
