package io.batchyard.readers.sns;

import java.util.List;

import io.batchyard.readers.support.SizeLimitedBatches;

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
		SizeLimitedBatches.Split<OutboundNotification> split = SizeLimitedBatches.split(messages,
				OutboundNotification::size, MAX_ENTRIES, maxBytes);
		return new Plan(split.batches(),
				split.tooLarge().stream().map((message) -> new TooLarge(message, message.size(), maxBytes)).toList());
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
