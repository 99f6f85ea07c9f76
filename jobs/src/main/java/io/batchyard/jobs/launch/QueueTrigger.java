package io.batchyard.jobs.launch;

import java.util.Objects;

/**
 * A queue the launcher listens to, and how its messages become launches. Declare one as a
 * bean; the launcher subscribes to every {@code QueueTrigger} in the context.
 *
 * @param name a short name for logs, metrics and the dashboard
 * @param queue the queue name (or URL)
 * @param mapper how a message becomes a launch request
 */
public record QueueTrigger(String name, String queue, LaunchMessageMapper mapper) {

	public QueueTrigger {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(queue, "queue");
		Objects.requireNonNull(mapper, "mapper");
	}

}
