package io.batchyard.jobs.postingest;

/**
 * What one sweep or resend does to one row: optionally send a message to a queue, and
 * optionally publish a notification, then change the row under a condition.
 *
 * @param row the row as read
 * @param kind the change
 * @param target the queue the row moves to (or is resent to), or {@code null} when the
 * row completes
 * @param messageBody the SQS message body, or {@code null}
 * @param notification the SNS message body, or {@code null}
 * @param confirmationAttribute the confirmation attribute the change depends on, or
 * {@code null}
 */
public record Transition(PostingestRow row, Kind kind, QueueRoute.Stage target, String messageBody, String notification,
		String confirmationAttribute) {

	/** The changes. */
	public enum Kind {

		/** A new row: send to the first queue and set queue, firstQueued, lastQueued. */
		ENQUEUE,

		/** Confirmed by its queue: send to the next one. */
		ADVANCE,

		/** Confirmed by the last queue: notify completion and delete the row. */
		COMPLETE,

		/** Stale: send its input again and set lastQueued. */
		RESEND

	}

}
