package io.batchyard.jobs.launch;

import java.util.Map;

/**
 * Turns a queue message into a launch request. Each job that is started by its own native
 * message (for example a DLCS batch-completion notification) contributes one, through a
 * {@link QueueTrigger}.
 */
@FunctionalInterface
public interface LaunchMessageMapper {

	/**
	 * Maps one message.
	 * @param body the message body
	 * @param attributes the message attributes, by name
	 * @return the launch request
	 * @throws UnmappableMessageException when the message cannot be understood; the
	 * message is left to the queue's redrive policy
	 */
	LaunchRequest map(String body, Map<String, String> attributes) throws UnmappableMessageException;

}
