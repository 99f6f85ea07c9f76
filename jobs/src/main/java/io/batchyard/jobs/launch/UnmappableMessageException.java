package io.batchyard.jobs.launch;

/**
 * A queue message that cannot be turned into a launch: bad JSON, a missing field, an
 * unknown job. The message stays on the queue and its redrive policy moves it to the
 * dead-letter queue.
 */
public class UnmappableMessageException extends Exception {

	private static final long serialVersionUID = 1L;

	public UnmappableMessageException(String message) {
		super(message);
	}

	public UnmappableMessageException(String message, Throwable cause) {
		super(message, cause);
	}

}
