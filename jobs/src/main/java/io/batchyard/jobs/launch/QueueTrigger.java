package io.batchyard.jobs.launch;

import java.util.Objects;
import java.util.Set;

/**
 * A queue the launcher listens to, and how its messages become launches. Declare one as a
 * bean; the launcher subscribes to every {@code QueueTrigger} in the context.
 *
 * @param name a short name for logs, metrics and the dashboard
 * @param queue the queue name (or URL)
 * @param mapper how a message becomes a launch request
 * @param jobs the jobs its messages start, for the job catalogue; empty when each message
 * names its job (the generic launch queue)
 */
public record QueueTrigger(String name, String queue, LaunchMessageMapper mapper, Set<String> jobs) {

	public QueueTrigger {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(queue, "queue");
		Objects.requireNonNull(mapper, "mapper");
		jobs = (jobs != null) ? Set.copyOf(jobs) : Set.of();
	}

	/**
	 * A trigger whose messages each name the job they start.
	 * @param name a short name for logs, metrics and the dashboard
	 * @param queue the queue name (or URL)
	 * @param mapper how a message becomes a launch request
	 */
	public QueueTrigger(String name, String queue, LaunchMessageMapper mapper) {
		this(name, queue, mapper, Set.of());
	}

	/**
	 * Whether a message on this queue can start a job.
	 * @param job the job
	 * @return {@code true} for the trigger's own jobs, or for any job when each message
	 * names its job
	 */
	public boolean starts(String job) {
		return this.jobs.isEmpty() || this.jobs.contains(job);
	}

}
