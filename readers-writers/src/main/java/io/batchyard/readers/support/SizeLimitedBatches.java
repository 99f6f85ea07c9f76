package io.batchyard.readers.support;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Splits items, in order, into batches that a batch API accepts: at most a number of
 * entries, and at most a number of bytes in total (SQS {@code SendMessageBatch} and SNS
 * {@code PublishBatch} refuse a whole call whose payload is larger, however few its
 * entries). An item starts a new batch when it would break either limit; an item larger
 * than the byte limit on its own can never be sent and is set apart.
 */
public final class SizeLimitedBatches {

	private SizeLimitedBatches() {
	}

	/**
	 * Splits items into batches.
	 * @param <T> the item type
	 * @param items the items, in order
	 * @param size the size of an item, as the service counts it
	 * @param maxEntries the most entries in one batch
	 * @param maxBytes the limit of one item and of each batch's total
	 * @return the batches, and the items too large to send at all
	 */
	public static <T> Split<T> split(List<T> items, ToLongFunction<T> size, int maxEntries, long maxBytes) {
		if (maxEntries < 1) {
			throw new IllegalArgumentException("maxEntries must be positive, not " + maxEntries);
		}
		if (maxBytes < 1) {
			throw new IllegalArgumentException("maxBytes must be positive, not " + maxBytes);
		}
		List<List<T>> batches = new ArrayList<>();
		List<T> tooLarge = new ArrayList<>();
		List<T> batch = new ArrayList<>();
		long batchBytes = 0;
		for (T item : items) {
			long bytes = size.applyAsLong(item);
			if (bytes > maxBytes) {
				tooLarge.add(item);
				continue;
			}
			if (batch.size() == maxEntries || batchBytes + bytes > maxBytes) {
				batches.add(batch);
				batch = new ArrayList<>();
				batchBytes = 0;
			}
			batch.add(item);
			batchBytes += bytes;
		}
		if (!batch.isEmpty()) {
			batches.add(batch);
		}
		return new Split<>(batches, tooLarge);
	}

	/**
	 * The batches, and what cannot be sent.
	 *
	 * @param <T> the item type
	 * @param batches the entries of each batch, in order
	 * @param tooLarge the items larger than the byte limit on their own, in order
	 */
	public record Split<T>(List<List<T>> batches, List<T> tooLarge) {

	}

}
