package io.batchyard.bench.crash;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.batchyard.test.DynamoDbLocalServer;
import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.EmulatorClients;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code postingestResendJob} on {@value #ROWS} rows of the sweep's state table, all
 * waiting on {@code CC} or {@code TC}: most sent long before the reference time minus the
 * queues' 14-day retention (resent), one in eight sent recently (left alone), and one in
 * eleven stale without input (skipped), in chunks of the sweep's size. Its rows (asset
 * ids {@value PostingestQueues#RESEND_PREFIX}…) and the sweep's are disjoint for both
 * jobs: the sweep reads these rows but finds them waiting without a confirmation and
 * leaves them, and the reference times of this workload's runs put the sweep's rows (sent
 * {@code 2026-11-01} or now) after the resend cut-off. So the two share one node.
 */
final class PostingestResendWorkload implements Workload {

	static final String JOB = "postingestResendJob";

	private static final int ROWS = 80;

	private static final String BATCH = "TDR_resend";

	private static final String STALE = "2026-10-01T00:00:00Z";

	private static final String RECENT = "2026-11-05T00:00:00Z";

	/**
	 * Cut-off {@code AS_OF} minus 14 days: after {@link #STALE}, before the sweep's rows.
	 */
	private static final Instant AS_OF = Instant.parse("2026-11-10T00:00:00Z");

	private final DynamoDbClient dynamoDb = EmulatorClients.client(DynamoDbClient.builder(),
			DynamoDbLocalServer.endpoint());

	private final SqsClient sqs = EmulatorClients.client(SqsClient.builder(), ElasticMqServer.endpoint());

	private final Map<String, String> queues = new LinkedHashMap<>();

	private final Map<String, Map<String, AttributeValue>> initial = new TreeMap<>();

	PostingestResendWorkload() {
		this.queues.putAll(PostingestSweepWorkload.createTableAndQueues(this.dynamoDb, this.sqs));
		for (int i = 0; i < ROWS; i++) {
			this.initial.put(asset(i), row(i));
		}
	}

	private static String asset(int i) {
		return String.format("%s%04d", PostingestQueues.RESEND_PREFIX, i);
	}

	private static Map<String, AttributeValue> row(int i) {
		Map<String, AttributeValue> item = new LinkedHashMap<>();
		item.put("assetId", AttributeValue.fromS(asset(i)));
		item.put("batchId", AttributeValue.fromS(BATCH));
		item.put("queue", AttributeValue.fromS((i % 2 == 0) ? "CC" : "TC"));
		item.put("firstQueued", AttributeValue.fromS(STALE));
		item.put("lastQueued", AttributeValue.fromS((i % 8 == 7) ? RECENT : STALE));
		if (i % 11 != 10) {
			item.put("input", AttributeValue.fromS("{\"preservationSystemId\":\"ps-" + i + "\"}"));
			item.put("correlationId", AttributeValue.fromS("corr-" + i));
		}
		return item;
	}

	@Override
	public String job() {
		return JOB;
	}

	@Override
	public List<String> settings(Yard yard) {
		return PostingestSweepWorkload.tableSettings(this.queues);
	}

	@Override
	public void prepare(Yard yard, int run) {
		for (Map<String, AttributeValue> item : this.initial.values()) {
			this.dynamoDb.putItem((request) -> request.tableName(PostingestSweepWorkload.TABLE).item(item));
		}
		PostingestQueues.take(this.sqs, this.queues, true);
	}

	@Override
	public Run launch(Node node, Yard yard, int run) {
		String asOf = AS_OF.minus(run, ChronoUnit.MINUTES).toString();
		node.launch(JOB, "{\"asOf\":\"" + asOf + "\"}");
		return new Run(run, JOB, "asOf", asOf);
	}

	/** This workload's rows, read again. */
	private List<Map<String, AttributeValue>> rows() {
		List<Map<String, AttributeValue>> items = new ArrayList<>();
		for (Map<String, AttributeValue> item : this.initial.values()) {
			Map<String, AttributeValue> current = this.dynamoDb
				.getItem((request) -> request.tableName(PostingestSweepWorkload.TABLE)
					.key(Map.of("assetId", item.get("assetId"), "batchId", item.get("batchId")))
					.consistentRead(true))
				.item();
			if (current != null && !current.isEmpty()) {
				items.add(current);
			}
		}
		return items;
	}

	@Override
	public EndState endState(Yard yard, Run run) {
		EndState state = new EndState();
		List<String> rows = new ArrayList<>();
		for (Map<String, AttributeValue> item : rows()) {
			Map<String, String> fields = new TreeMap<>();
			item.forEach((name, value) -> fields.put(name,
					// When it was resent is now: whether it was is what compares.
					(name.equals("lastQueued") && !STALE.equals(value.s()) && !RECENT.equals(value.s())) ? "resent"
							: value.s()));
			rows.add("row|" + fields);
		}
		state.add(EndState.ROWS, rows);
		List<String> executions = Campaign.executions(yard, run);
		String in = String.join(",", executions);
		state.add(EndState.ROWS, Campaign.skippedItems(yard, in));
		state.add(EndState.MESSAGES, PostingestQueues.take(this.sqs, this.queues, true));
		// Only the skips, as for the sweep: a resent row leaves the index query's range
		// whether or not its chunk committed, so an interrupted run reads fewer rows.
		state.add(EndState.COUNTS, Campaign.skipCounts(yard, in));
		state.add(EndState.REPORT, Campaign.lastExit(yard, executions));
		return state;
	}

	/**
	 * The rows already resent when the run was interrupted: a message sent again for one
	 * was sent by the job.
	 */
	@Override
	public Set<String> committedKeys(Yard yard, Run run) {
		Set<String> changed = new HashSet<>();
		for (Map<String, AttributeValue> item : rows()) {
			String asset = item.get("assetId").s();
			if (!item.equals(this.initial.get(asset))) {
				changed.add(asset);
			}
		}
		return changed;
	}

	@Override
	public int atLeastOnceWindow() {
		return PostingestSweepWorkload.CHUNK;
	}

	@Override
	public List<Fault> faults(Yard yard) {
		return yard.postgresql() ? List.of(Fault.SQS_DOWN, Fault.DATABASE_CONNECTIONS_DROPPED)
				: List.of(Fault.SQS_DOWN);
	}

	@Override
	public void close() {
		this.dynamoDb.close();
		this.sqs.close();
	}

}
