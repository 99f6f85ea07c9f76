package io.batchyard.launcher.dashboard.postingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.batchyard.jobs.postingest.QueueRoute;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The postingest state table as an operator reads it: per confirmer queue, how many rows
 * wait on it by the age of their {@code lastQueued} (counted on the
 * {@code queue + lastQueued} index, never a scan), and the longest-waiting rows; and how
 * many rows were never queued yet. Counts stop after {@link #MAX_PAGES} pages each and
 * then say "at least".
 */
public class PostingestOverview {

	static final int MAX_PAGES = 20;

	static final int OLDEST_SHOWN = 10;

	/** The age buckets: upper bounds, the last one open. */
	static final List<Bucket> BUCKETS = List.of(new Bucket("under 1 hour", Duration.ZERO, Duration.ofHours(1)),
			new Bucket("1 hour to 1 day", Duration.ofHours(1), Duration.ofDays(1)),
			new Bucket("1 to 7 days", Duration.ofDays(1), Duration.ofDays(7)),
			new Bucket("over 7 days", Duration.ofDays(7), null));

	private final DynamoDbClient dynamoDb;

	private final String tableName;

	private final String indexName;

	private final QueueRoute route;

	public PostingestOverview(DynamoDbClient dynamoDb, String tableName, String indexName, QueueRoute route) {
		this.dynamoDb = dynamoDb;
		this.tableName = tableName;
		this.indexName = indexName;
		this.route = route;
	}

	/**
	 * An age bucket: rows whose {@code lastQueued} is at least {@code from} and less than
	 * {@code to} before now.
	 *
	 * @param label its label
	 * @param from the younger bound
	 * @param to the older bound, or {@code null}
	 */
	public record Bucket(String label, Duration from, Duration to) {
	}

	/**
	 * A count that may have stopped early.
	 *
	 * @param count the rows counted
	 * @param complete whether every page was read
	 */
	public record Count(long count, boolean complete) {

		@Override
		public String toString() {
			return this.complete ? String.format("%,d", this.count) : String.format("at least %,d", this.count);
		}

	}

	/**
	 * A row waiting on a queue.
	 *
	 * @param assetId its asset
	 * @param batchId its batch
	 * @param firstQueued when it was first sent to this queue
	 * @param lastQueued when it was last sent
	 */
	public record Waiting(String assetId, String batchId, String firstQueued, String lastQueued) {
	}

	/**
	 * One queue's rows.
	 *
	 * @param order its order
	 * @param alias its alias
	 * @param byAge counts per {@link #BUCKETS} entry
	 * @param oldest the longest-waiting rows, oldest first
	 */
	public record QueueRows(int order, String alias, List<Count> byAge, List<Waiting> oldest) {
	}

	/**
	 * The whole table.
	 *
	 * @param asOf the time the ages are counted from
	 * @param queues per queue, in order
	 * @param notQueued rows no sweep has sent anywhere yet
	 */
	public record Overview(Instant asOf, List<QueueRows> queues, Count notQueued) {
	}

	public Overview overview(Instant now) {
		List<QueueRows> queues = new ArrayList<>();
		for (QueueRoute.Stage stage : this.route.stages()) {
			List<Count> byAge = new ArrayList<>();
			for (Bucket bucket : BUCKETS) {
				// An age of at least from and under to: lastQueued after (now - to), at
				// or before (now - from).
				Instant after = (bucket.to() != null) ? now.minus(bucket.to()) : null;
				Instant upTo = bucket.from().isZero() ? null : now.minus(bucket.from());
				byAge.add(count(stage.alias(), after, upTo));
			}
			queues.add(new QueueRows(stage.order(), stage.alias(), byAge, oldest(stage.alias())));
		}
		return new Overview(now, queues, notQueued());
	}

	private Count count(String alias, Instant after, Instant upTo) {
		Map<String, AttributeValue> values = new HashMap<>();
		values.put(":alias", AttributeValue.fromS(alias));
		String condition;
		if (after != null && upTo != null) {
			// BETWEEN includes both bounds; the bucket excludes its lower one.
			condition = "#q = :alias AND lastQueued BETWEEN :after AND :upTo";
			values.put(":after", AttributeValue.fromS(after.plusNanos(1).toString()));
			values.put(":upTo", AttributeValue.fromS(upTo.toString()));
		}
		else if (after != null) {
			condition = "#q = :alias AND lastQueued > :after";
			values.put(":after", AttributeValue.fromS(after.toString()));
		}
		else {
			condition = "#q = :alias AND lastQueued <= :upTo";
			values.put(":upTo", AttributeValue.fromS(upTo.toString()));
		}
		String keyCondition = condition;
		return countPages((start) -> {
			QueryResponse response = this.dynamoDb.query(QueryRequest.builder()
				.tableName(this.tableName)
				.indexName(this.indexName)
				.keyConditionExpression(keyCondition)
				.expressionAttributeNames(Map.of("#q", "queue"))
				.expressionAttributeValues(values)
				.select(Select.COUNT)
				.exclusiveStartKey(start)
				.build());
			return new Page(response.count(), response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null);
		});
	}

	private List<Waiting> oldest(String alias) {
		return this.dynamoDb
			.query(QueryRequest.builder()
				.tableName(this.tableName)
				.indexName(this.indexName)
				.keyConditionExpression("#q = :alias")
				.expressionAttributeNames(Map.of("#q", "queue"))
				.expressionAttributeValues(Map.of(":alias", AttributeValue.fromS(alias)))
				.scanIndexForward(true)
				.limit(OLDEST_SHOWN)
				.build())
			.items()
			.stream()
			.map((item) -> new Waiting(string(item, "assetId"), string(item, "batchId"), string(item, "firstQueued"),
					string(item, "lastQueued")))
			.toList();
	}

	/** Rows without {@code queue} are not in the index: a counting scan, capped. */
	private Count notQueued() {
		return countPages((start) -> {
			ScanResponse response = this.dynamoDb.scan(ScanRequest.builder()
				.tableName(this.tableName)
				.filterExpression("attribute_not_exists(#q)")
				.expressionAttributeNames(Map.of("#q", "queue"))
				.select(Select.COUNT)
				.exclusiveStartKey(start)
				.build());
			return new Page(response.count(), response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null);
		});
	}

	/**
	 * Adds up the counts of a paged {@code Select=COUNT} request, at most
	 * {@value #MAX_PAGES} pages.
	 * @param request one page, from the given start key ({@code null} for the first)
	 * @return the count, exact unless the cap was reached
	 */
	private static Count countPages(Function<Map<String, AttributeValue>, Page> request) {
		long count = 0;
		Map<String, AttributeValue> start = null;
		for (int page = 0; page < MAX_PAGES; page++) {
			Page counted = request.apply(start);
			count += counted.count();
			if (counted.next() == null || counted.next().isEmpty()) {
				return new Count(count, true);
			}
			start = counted.next();
		}
		return new Count(count, false);
	}

	/** One counted page and the key to continue from, or {@code null} at the end. */
	private record Page(int count, Map<String, AttributeValue> next) {

	}

	private static String string(Map<String, AttributeValue> item, String name) {
		AttributeValue value = item.get(name);
		return (value != null) ? value.s() : null;
	}

}
