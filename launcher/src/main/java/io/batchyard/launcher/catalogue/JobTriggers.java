package io.batchyard.launcher.catalogue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.batchyard.jobs.launch.QueueTrigger;
import io.batchyard.launcher.trigger.schedule.ScheduleProperties;
import io.batchyard.launcher.trigger.schedule.ScheduledLaunches;
import io.batchyard.launcher.trigger.schedule.ScheduledLaunches.ScheduleView;
import io.batchyard.launcher.trigger.sqs.TriggerActivity;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.support.CronExpression;

/**
 * What starts a job besides a person: the schedules that name it and the queue triggers
 * whose messages can start it. Read from the configuration, so a node whose scheduler or
 * queue listeners are off still tells when the job fires next and where its messages come
 * from.
 */
public class JobTriggers {

	private final ScheduleProperties schedules;

	private final ObjectProvider<ScheduledLaunches> launches;

	private final ObjectProvider<QueueTrigger> queueTriggers;

	private final ObjectProvider<TriggerActivity> listening;

	private final Clock clock;

	public JobTriggers(ScheduleProperties schedules, ObjectProvider<ScheduledLaunches> launches,
			ObjectProvider<QueueTrigger> queueTriggers, ObjectProvider<TriggerActivity> listening, Clock clock) {
		this.schedules = schedules;
		this.launches = launches;
		this.queueTriggers = queueTriggers;
		this.listening = listening;
		this.clock = clock;
	}

	/**
	 * A schedule that launches the job.
	 *
	 * @param name the schedule
	 * @param cron its cron expression ({@code -} when disabled)
	 * @param enabled whether it fires at all (on some node)
	 * @param firesOnThisNode whether this node's scheduler fires it
	 * @param nextFireTime when it fires next, or {@code null} when disabled
	 * @param parameters the parameters it adds to {@code fireTime}
	 */
	public record Schedule(String name, String cron, boolean enabled, boolean firesOnThisNode, Instant nextFireTime,
			Map<String, String> parameters) {
	}

	/**
	 * A queue whose messages can start the job.
	 *
	 * @param name the trigger
	 * @param queue its queue
	 * @param anyJob whether each message names its job (the generic launch queue) rather
	 * than always starting this one
	 * @param listening whether this node listens to it
	 */
	public record Queue(String name, String queue, boolean anyJob, boolean listening) {
	}

	/**
	 * The schedules of a job, in configuration order.
	 * @param job the job
	 * @return its schedules
	 */
	public List<Schedule> schedules(String job) {
		ScheduledLaunches launches = this.launches.getIfAvailable();
		List<ScheduleView> views = (launches != null) ? launches.schedules() : List.of();
		return this.schedules.schedules()
			.entrySet()
			.stream()
			.filter((entry) -> job.equals(entry.getValue().job()))
			.map((entry) -> {
				ScheduleProperties.Schedule schedule = entry.getValue();
				ScheduleView view = views.stream()
					.filter((candidate) -> candidate.name().equals(entry.getKey()))
					.findFirst()
					.orElse(null);
				boolean onThisNode = view != null && view.enabled();
				Instant next = (view != null && view.nextFireTime() != null) ? view.nextFireTime() : nextFire(schedule);
				return new Schedule(entry.getKey(), schedule.cron(), schedule.enabled(), onThisNode, next,
						schedule.parameters());
			})
			.toList();
	}

	/**
	 * The next time any of a job's schedules fires.
	 * @param job the job
	 * @return the earliest next fire time, or {@code null} when no schedule is enabled
	 */
	public Instant nextFire(String job) {
		return schedules(job).stream()
			.map(Schedule::nextFireTime)
			.filter(Objects::nonNull)
			.min(Instant::compareTo)
			.orElse(null);
	}

	/**
	 * The queue triggers whose messages can start a job.
	 * @param job the job
	 * @return the triggers
	 */
	public List<Queue> queues(String job) {
		boolean listening = this.listening.getIfAvailable() != null;
		return this.queueTriggers.orderedStream()
			.filter((trigger) -> trigger.starts(job))
			.map((trigger) -> new Queue(trigger.name(), trigger.queue(), trigger.jobs().isEmpty(), listening))
			.toList();
	}

	private Instant nextFire(ScheduleProperties.Schedule schedule) {
		if (!schedule.enabled()) {
			return null;
		}
		try {
			ZonedDateTime next = CronExpression.parse(schedule.cron().trim())
				.next(ZonedDateTime.now(this.clock).withZoneSameInstant(this.schedules.scheduler().zone()));
			return (next != null) ? next.toInstant() : null;
		}
		catch (IllegalArgumentException ex) {
			// ScheduledLaunches refuses to start with an invalid expression; without it
			// (a command-line context) there is no next fire to show.
			return null;
		}
	}

}
