package io.batchyard.readers.sqs;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the messages for one queue into {@code SendMessageBatch} calls SQS accepts: at
 * most {@value #MAX_ENTRIES} entries, and at most the queue's maximum message size in
 * total (SQS refuses a whole call whose payload is larger, however few its entries). The
 * order is kept: a message starts a new batch when it would break either limit. A message
 * larger than the limit on its own can never be sent; it is set apart, not sent.
 */
public final class SendMessageBatches {

	/** The most entries {@code SendMessageBatch} takes. */
	public static final int MAX_ENTRIES = 10;

	private SendMessageBatches() {
	}

	/**
	 * Plans the calls for one queue's messages.
	 * @param messages the messages, in order
	 * @param maxBytes the queue's maximum message size, the limit of each call's total
	 * @return the batches, and the messages too large to send at all
	 */
	public static Plan plan(List<OutboundMessage> messages, long maxBytes) {
		if (maxBytes < 1) {
			throw new IllegalArgumentException("maxBytes must be positive, not " + maxBytes);
		}
		List<List<OutboundMessage>> batches = new ArrayList<>();
		List<TooLarge> tooLarge = new ArrayList<>();
		List<OutboundMessage> batch = new ArrayList<>();
		long batchBytes = 0;
		for (OutboundMessage message : messages) {
			long size = message.size();
			if (size > maxBytes) {
				tooLarge.add(new TooLarge(message, size, maxBytes));
				continue;
			}
			if (batch.size() == MAX_ENTRIES || batchBytes + size > maxBytes) {
				batches.add(batch);
				batch = new ArrayList<>();
				batchBytes = 0;
			}
			batch.add(message);
			batchBytes += size;
		}
		if (!batch.isEmpty()) {
			batches.add(batch);
		}
		return new Plan(batches, tooLarge);
	}

	/**
	 * The calls to make, and what cannot be sent.
	 *
	 * @param batches the entries of each call, in order
	 * @param tooLarge the messages larger than the limit on their own
	 */
	public record Plan(List<List<OutboundMessage>> batches, List<TooLarge> tooLarge) {

	}

	/**
	 * A message the queue can never take.
	 *
	 * @param message the message
	 * @param size its size as SQS counts it
	 * @param maxBytes the queue's maximum message size
	 */
	public record TooLarge(OutboundMessage message, long size, long maxBytes) {

		/** Why it was not sent. */
		public String reason() {
			return "the message is " + this.size + " bytes, over the queue's maximum message size of " + this.maxBytes
					+ " bytes";
		}

	}

}
