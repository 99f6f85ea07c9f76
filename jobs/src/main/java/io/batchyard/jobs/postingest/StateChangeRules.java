package io.batchyard.jobs.postingest;

import java.time.Instant;
import java.util.function.ToIntFunction;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The state-change rules of the original stream lambda, applied to a row as it is now
 * rather than to a stream record's old and new images:
 * <ul>
 * <li>no {@code queue}: send the input to the first queue and notify;</li>
 * <li>its queue's confirmation attribute set: notify completion and delete it if that
 * queue is the last, otherwise send the confirmation value to the next queue and
 * notify;</li>
 * <li>otherwise it waits: nothing to do ({@code null}); it needs no {@code input}, so a
 * waiting row without one is filtered by every sweep, not skipped by each again.</li>
 * </ul>
 * The resend rule sends the row's input again to the queue it waits on. A row is
 * unprocessable (a skip) only when a rule applies to it and cannot be carried out: no
 * input to send, a queue that is not configured, a message its queue cannot take.
 */
public class StateChangeRules {

	private final QueueRoute route;

	private final PostingestMessages messages;

	private final ToIntFunction<String> maxMessageSize;

	/**
	 * The rules.
	 * @param route the queues
	 * @param messages the message bodies
	 * @param maxMessageSize each queue's maximum message size, by queue URL (a message
	 * larger than its queue takes is a skip, not a failed send)
	 */
	public StateChangeRules(QueueRoute route, PostingestMessages messages, ToIntFunction<String> maxMessageSize) {
		this.route = route;
		this.messages = messages;
		this.maxMessageSize = maxMessageSize;
	}

	/**
	 * The sweep's change for a row.
	 * @param row the row
	 * @param now the time
	 * @return the change, or {@code null} when the row waits on its queue
	 * @throws UnprocessableRowException if the rule that applies cannot be carried out
	 */
	public Transition sweep(PostingestRow row, Instant now) {
		if (row.queue() == null) {
			QueueRoute.Stage first = this.route.first();
			return new Transition(
					row, Transition.Kind.ENQUEUE, first, send(row, first, row.requiredInput()), this.messages
						.notification(row, PostingestMessages.INGEST_UPDATE, QueueRoute.INGESTED_PRESERVATION, now),
					null);
		}
		QueueRoute.Stage current = stageOf(row);
		AttributeValue confirmation = row.attributes().get(current.resultAttribute());
		if (confirmation == null) {
			return null;
		}
		String value = row.string(current.resultAttribute());
		if (current.last()) {
			return new Transition(row, Transition.Kind.COMPLETE, null, null,
					this.messages.notification(row, PostingestMessages.INGEST_COMPLETE, current.confirmedStatus(), now),
					current.resultAttribute());
		}
		QueueRoute.Stage next = this.route.after(current);
		if (value == null || !this.messages.isJson(value)) {
			throw new UnprocessableRowException("Row " + row.key() + ": confirmation '" + current.resultAttribute()
					+ "' is not JSON, so queue " + next.alias() + " cannot take it");
		}
		return new Transition(row, Transition.Kind.ADVANCE, next, send(row, next, value),
				this.messages.notification(row, PostingestMessages.INGEST_UPDATE, current.confirmedStatus(), now),
				current.resultAttribute());
	}

	/**
	 * The resend of a stale row: its input again, to the queue it waits on.
	 * @param row the row
	 * @return the change
	 * @throws UnprocessableRowException if its queue is not configured, it has no input,
	 * or its message cannot be sent
	 */
	public Transition resend(PostingestRow row) {
		QueueRoute.Stage current = stageOf(row);
		return new Transition(row, Transition.Kind.RESEND, current, send(row, current, row.requiredInput()), null,
				null);
	}

	private QueueRoute.Stage stageOf(PostingestRow row) {
		return this.route.byAlias(row.queue())
			.orElseThrow(() -> new UnprocessableRowException(
					"Row " + row.key() + " waits on queue '" + row.queue() + "', which is not configured"));
	}

	private String send(PostingestRow row, QueueRoute.Stage stage, String payload) {
		String body = this.messages.queueMessage(row, stage, payload);
		String reason = PostingestMessages.unsendable(body, this.maxMessageSize.applyAsInt(stage.url()));
		if (reason != null) {
			throw new UnprocessableRowException(
					"Row " + row.key() + ": queue " + stage.alias() + " cannot take it: " + reason);
		}
		return body;
	}

}
