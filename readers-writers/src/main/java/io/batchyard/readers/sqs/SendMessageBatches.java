package io.batchyard.readers.sqs;

import java.util.List;

import io.batchyard.readers.support.SizeLimitedBatches;

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
		SizeLimitedBatches.Split<OutboundMessage> split = SizeLimitedBatches.split(messages, OutboundMessage::size,
				MAX_ENTRIES, maxBytes);
		return new Plan(split.batches(),
				split.tooLarge().stream().map((message) -> new TooLarge(message, message.size(), maxBytes)).toList());
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
