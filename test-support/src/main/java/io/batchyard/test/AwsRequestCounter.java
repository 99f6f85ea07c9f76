package io.batchyard.test;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the requests AWS SDK v2 clients send, by service and operation. It counts in
 * {@code beforeTransmission}, which the SDK calls once per attempt, so a retried call
 * counts every attempt that went on the wire: what an AWS account is billed for and
 * throttles on.
 * <p>
 * The counts are process-wide because the SDK instantiates an interceptor named in a
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} resource once per
 * client it builds, with no way to hand it a collaborator; that resource is how clients
 * built inside a job's own configuration get counted without a change to the product.
 * Callers measure a phase as the difference of two {@link #snapshot()}s.
 */
public class AwsRequestCounter implements ExecutionInterceptor {

	private static final ConcurrentMap<Operation, LongAdder> SENT = new ConcurrentHashMap<>();

	@Override
	public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
		Operation operation = new Operation(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
				attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
		SENT.computeIfAbsent(operation, (key) -> new LongAdder()).increment();
	}

	/**
	 * The requests sent so far by every counted client of this process.
	 * @return the counts
	 */
	public static Counts snapshot() {
		Map<Operation, Long> counts = new TreeMap<>();
		SENT.forEach((operation, count) -> counts.put(operation, count.sum()));
		return new Counts(counts);
	}

	/**
	 * A service's operation, as the SDK names them ({@code S3 PutObject},
	 * {@code Sqs SendMessageBatch}, {@code DynamoDb Query}).
	 *
	 * @param service the service
	 * @param name the operation
	 */
	public record Operation(String service, String name) implements Comparable<Operation> {

		private static final Comparator<Operation> ORDER = Comparator.comparing(Operation::service)
			.thenComparing(Operation::name);

		@Override
		public int compareTo(Operation other) {
			return ORDER.compare(this, other);
		}

		@Override
		public String toString() {
			return this.service + " " + this.name;
		}

	}

	/**
	 * Request counts by operation, in service and operation order.
	 *
	 * @param byOperation the counts; operations with none are absent
	 */
	public record Counts(Map<Operation, Long> byOperation) {

		public Counts {
			byOperation = new TreeMap<>(byOperation);
			byOperation.values().removeIf((count) -> count == 0);
			byOperation = java.util.Collections.unmodifiableMap(byOperation);
		}

		/**
		 * The requests sent since an earlier snapshot.
		 * @param earlier the earlier snapshot
		 * @return the difference
		 */
		public Counts since(Counts earlier) {
			Map<Operation, Long> difference = new TreeMap<>(this.byOperation);
			earlier.byOperation.forEach((operation, count) -> difference.merge(operation, -count, Long::sum));
			return new Counts(difference);
		}

		/**
		 * The requests of this and another count together.
		 * @param other the other count
		 * @return the sum
		 */
		public Counts plus(Counts other) {
			Map<Operation, Long> sum = new TreeMap<>(this.byOperation);
			other.byOperation.forEach((operation, count) -> sum.merge(operation, count, Long::sum));
			return new Counts(sum);
		}

		/**
		 * @param service the service, as the SDK names it ({@code S3}, {@code Sqs},
		 * {@code DynamoDb})
		 * @param operation the operation
		 * @return the requests of that operation
		 */
		public long of(String service, String operation) {
			return this.byOperation.getOrDefault(new Operation(service, operation), 0L);
		}

		/**
		 * @param service the service
		 * @return the requests of every operation of that service
		 */
		public long of(String service) {
			return this.byOperation.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().service().equals(service))
				.mapToLong(Map.Entry::getValue)
				.sum();
		}

		/**
		 * @return every request counted
		 */
		public long total() {
			return this.byOperation.values().stream().mapToLong(Long::longValue).sum();
		}

		/**
		 * One line per operation: the count and the count per 1,000 items.
		 * @param items the items the requests were for (rows, images)
		 * @param indent the lines' indent
		 * @return the lines, each ending with a line separator
		 */
		public String perThousand(long items, String indent) {
			StringBuilder lines = new StringBuilder();
			this.byOperation.forEach((operation, count) -> lines.append(String
				.format("%s%-32s %,9d = %,10.1f per 1,000%n", indent, operation, count, count * 1000.0 / items)));
			lines.append(String.format("%s%-32s %,9d = %,10.1f per 1,000%n", indent, "all", total(),
					total() * 1000.0 / items));
			return lines.toString();
		}

	}

}
