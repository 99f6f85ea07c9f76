package io.batchyard.jobs.postingest;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The original rules for the queue list: not empty, an order 1, no duplicate orders,
 * orders exactly 1..n, and no value (alias, order or URL) shared by two queues.
 */
public final class QueueListValidator {

	private QueueListValidator() {
	}

	/**
	 * Checks the list.
	 * @param queues the configured queues
	 * @throws IllegalArgumentException naming the first rule broken
	 */
	public static void validate(List<PostingestProperties.Queue> queues) {
		String prefix = "batchyard.jobs.postingest.queues: ";
		if (queues == null || queues.isEmpty()) {
			throw new IllegalArgumentException(prefix + "no queues are configured");
		}
		for (int i = 0; i < queues.size(); i++) {
			PostingestProperties.Queue queue = queues.get(i);
			if (isBlank(queue.queueAlias()) || queue.queueOrder() == null || isBlank(queue.queueUrl())) {
				throw new IllegalArgumentException(
						prefix + "queue [" + i + "] needs a queue-alias, a queue-order and a queue-url");
			}
		}
		List<Integer> orders = queues.stream().map(PostingestProperties.Queue::queueOrder).toList();
		if (!orders.contains(1)) {
			throw new IllegalArgumentException(prefix + "no queue has queue-order 1");
		}
		if (new HashSet<>(orders).size() != orders.size()) {
			throw new IllegalArgumentException(prefix + "duplicate queue-order " + duplicate(orders));
		}
		if (!new TreeSet<>(orders)
			.equals(new TreeSet<>(java.util.stream.IntStream.rangeClosed(1, orders.size()).boxed().toList()))) {
			throw new IllegalArgumentException(
					prefix + "queue orders must be exactly 1.." + orders.size() + ", not " + new TreeSet<>(orders));
		}
		checkUnique(queues, "queue-alias", PostingestProperties.Queue::queueAlias, prefix);
		checkUnique(queues, "queue-url", PostingestProperties.Queue::queueUrl, prefix);
	}

	private static void checkUnique(List<PostingestProperties.Queue> queues, String name,
			Function<PostingestProperties.Queue, String> value, String prefix) {
		List<String> values = queues.stream().map(value).toList();
		if (new HashSet<>(values).size() != values.size()) {
			throw new IllegalArgumentException(prefix + "two queues share the " + name + " '" + duplicate(values)
					+ "'; every value must be unique");
		}
	}

	private static <T> T duplicate(List<T> values) {
		Set<T> seen = new HashSet<>();
		for (T value : values) {
			if (!seen.add(value)) {
				return value;
			}
		}
		return null;
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

}
