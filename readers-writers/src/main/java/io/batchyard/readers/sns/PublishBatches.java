package io.batchyard.readers.sns;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits messages into {@code PublishBatch} calls SNS accepts: at most
 * {@value #MAX_ENTRIES} entries, and at most {@value #MAX_BYTES} bytes in total (SNS
 * refuses a whole call whose messages add up to more, however few its entries), as
 * {@code SendMessageBatches} does for SQS. The order is kept: a message starts a new
 * batch when it would break either limit. A message larger than the limit on its own can
 * never be published; it is set apart, not sent.
 */
public final class PublishBatches {

	/** The most entries {@code PublishBatch} takes. */
	public static final int MAX_ENTRIES = 10;

	/** The most bytes SNS takes in one message and in the messages of one call. */
	public static final long MAX_BYTES = 262_144;

	private PublishBatches() {
	}

	/**
	 * Plans the calls for some messages.
	 * @param messages the messages, in order
	 * @param maxBytes the limit of one message and of each call's total
	 * @return the batches, and the messages too large to publish at all
	 */
	public static Plan plan(List<OutboundNotification> messages, long maxBytes) {
		if (maxBytes < 1) {
			throw new IllegalArgumentException("maxBytes must be positive, not " + maxBytes);
		}
		List<List<OutboundNotification>> batches = new ArrayList<>();
		List<TooLarge> tooLarge = new ArrayList<>();
		List<OutboundNotification> batch = new ArrayList<>();
		long batchBytes = 0;
		for (OutboundNotification message : messages) {
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
	 * The calls to make, and what cannot be published.
	 *
	 * @param batches the entries of each call, in order
	 * @param tooLarge the messages larger than the limit on their own
	 */
	public record Plan(List<List<OutboundNotification>> batches, List<TooLarge> tooLarge) {

	}

	/**
	 * A message SNS can never take.
	 *
	 * @param message the message
	 * @param size its size in bytes
	 * @param maxBytes the limit
	 */
	public record TooLarge(OutboundNotification message, long size, long maxBytes) {

		/** Why it was not published. */
		public String reason() {
			return "the message is " + this.size + " bytes, over SNS's maximum of " + this.maxBytes + " bytes";
		}

	}

}
