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
import io.batchyard.test.SnsQueryServer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code postingestSweepJob} on a DynamoDB Local state table of {@value #ROWS} rows (new
 * rows with JSON or text input, rows confirmed on {@code CC} or {@code TC}, rows waiting,
 * and one in twelve without input, which the sweep skips), in chunks of {@value #CHUNK}:
 * messages to two ElasticMQ confirmer queues (through the campaign's {@link FaultProxy}),
 * notifications to an SNS endpoint in this JVM, and conditional row changes. The table is
 * emptied and loaded again before each run; the end state is the table, the messages and
 * notifications (their random message ids and timestamps left out), and the skip records.
 */
final class PostingestSweepWorkload implements Workload {

	static final String JOB = "postingestSweepJob";

	private static final int ROWS = 120;

	static final int CHUNK = 10;

	static final String TABLE = "campaign-postingest";

	private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:campaign-postingest";

	private static final String BATCH = "TDR_campaign";

	private static final String QUEUED = "2026-11-01T00:00:00Z";

	private static final Instant AS_OF = Instant.parse("2026-11-23T10:00:00Z");

	private static final JsonMapper JSON = JsonMapper.shared();

	private final SnsQueryServer sns = SnsQueryServer.start();

	private final DynamoDbClient dynamoDb = EmulatorClients.client(DynamoDbClient.builder(),
			DynamoDbLocalServer.endpoint());

	private final SqsClient sqs = EmulatorClients.client(SqsClient.builder(), ElasticMqServer.endpoint());

	private final Map<String, String> queues = new LinkedHashMap<>();

	private final Map<String, Map<String, AttributeValue>> initial = new TreeMap<>();

	PostingestSweepWorkload() {
		this.queues.putAll(createTableAndQueues(this.dynamoDb, this.sqs));
		for (int i = 0; i < ROWS; i++) {
			this.initial.put(asset(i), row(i));
		}
	}

	/**
	 * The state table and the two confirmer queues, created where missing.
	 * @param dynamoDb the DynamoDB client
	 * @param sqs the SQS client
	 * @return queue URL by alias, in queue order
	 */
	static synchronized Map<String, String> createTableAndQueues(DynamoDbClient dynamoDb, SqsClient sqs) {
		Map<String, String> queues = new LinkedHashMap<>();
		for (String alias : List.of("CC", "TC")) {
			String name = "campaign-postingest-" + alias.toLowerCase(java.util.Locale.ROOT);
			queues.put(alias, sqs.createQueue((request) -> request.queueName(name)).queueUrl());
		}
		if (!dynamoDb.listTables().tableNames().contains(TABLE)) {
			dynamoDb.createTable((request) -> request.tableName(TABLE)
				.billingMode(BillingMode.PAY_PER_REQUEST)
				.attributeDefinitions(string("assetId"), string("batchId"), string("queue"), string("lastQueued"))
				.keySchema(key("assetId", KeyType.HASH), key("batchId", KeyType.RANGE))
				.globalSecondaryIndexes(GlobalSecondaryIndex.builder()
					.indexName("QueueLastQueuedIdx")
					.keySchema(key("queue", KeyType.HASH), key("lastQueued", KeyType.RANGE))
					.projection(Projection.builder().projectionType(ProjectionType.ALL).build())
					.build()));
		}
		return queues;
	}

	private static AttributeDefinition string(String name) {
		return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
	}

	private static KeySchemaElement key(String name, KeyType type) {
		return KeySchemaElement.builder().attributeName(name).keyType(type).build();
	}

	private static String asset(int i) {
		return String.format("asset-%04d", i);
	}

	private static Map<String, AttributeValue> row(int i) {
		Map<String, String> row = new LinkedHashMap<>();
		row.put("assetId", asset(i));
		row.put("batchId", BATCH);
		if (i % 12 == 11) {
			// new, without input: no rule can send it, so the sweep skips it
			return attributes(row);
		}
		switch (i % 6) {
			case 0 -> {
				row.put("input", "{\"preservationSystemId\":\"ps-" + i + "\"}");
				row.put("correlationId", "corr-" + i);
			}
			case 1 -> row.put("input", "text input " + i);
			case 2 -> {
				row.put("input", "{}");
				row.put("queue", "CC");
				row.put("firstQueued", QUEUED);
				row.put("lastQueued", QUEUED);
				row.put("ingested_CC", "{\"filePaths\":[\"/disk/" + i + "\"]}");
			}
			case 3 -> {
				row.put("input", "{}");
				row.put("queue", "CC");
				row.put("lastQueued", QUEUED);
			}
			default -> {
				row.put("input", "{}");
				row.put("queue", "TC");
				row.put("lastQueued", QUEUED);
				row.put("ingested_TC", "{\"tape\":" + i + "}");
			}
		}
		return attributes(row);
	}

	private static Map<String, AttributeValue> attributes(Map<String, String> row) {
		Map<String, AttributeValue> item = new LinkedHashMap<>();
		row.forEach((name, value) -> item.put(name, AttributeValue.fromS(value)));
		return item;
	}

	@Override
	public String job() {
		return JOB;
	}

	@Override
	public List<String> settings(Yard yard) {
		List<String> settings = new ArrayList<>(List.of("--batchyard.jobs.postingest.topic-arn=" + TOPIC,
				"--spring.cloud.aws.sns.endpoint=" + this.sns.endpoint()));
		settings.addAll(tableSettings(this.queues));
		return settings;
	}

	/**
	 * The settings both postingest workloads give, identical so that the node gets them
	 * once: the table, the chunk size and the queues.
	 * @param queues queue URL by alias
	 * @return the settings
	 */
	static List<String> tableSettings(Map<String, String> queues) {
		String postingest = "--batchyard.jobs.postingest.";
		List<String> settings = new ArrayList<>(List.of(postingest + "enabled=true", postingest + "table-name=" + TABLE,
				postingest + "chunk-size=" + CHUNK, postingest + "send-back-off=100ms",
				"--spring.cloud.aws.dynamodb.endpoint=" + DynamoDbLocalServer.endpoint()));
		int order = 0;
		for (Map.Entry<String, String> queue : queues.entrySet()) {
			String prefix = postingest + "queues[" + order + "].";
			order++;
			settings.addAll(List.of(prefix + "queue-alias=" + queue.getKey(), prefix + "queue-order=" + order,
					prefix + "queue-url=" + queue.getValue(), prefix + "retention=14d"));
		}
		return settings;
	}

	@Override
	public void prepare(Yard yard, int run) {
		// One run at a time of this job: its rows, its messages and the notifications are
		// this run's alone (the resend workload's rows and messages are left to it).
		for (Map<String, AttributeValue> item : scan()) {
			this.dynamoDb.deleteItem((request) -> request.tableName(TABLE)
				.key(Map.of("assetId", item.get("assetId"), "batchId", item.get("batchId"))));
		}
		for (Map<String, AttributeValue> item : this.initial.values()) {
			this.dynamoDb.putItem((request) -> request.tableName(TABLE).item(item));
		}
		PostingestQueues.take(this.sqs, this.queues, false);
		this.sns.clear();
	}

	@Override
	public Run launch(Node node, Yard yard, int run) {
		String asOf = AS_OF.minus(run, ChronoUnit.DAYS).toString();
		node.launch(JOB, "{\"asOf\":\"" + asOf + "\"}");
		return new Run(run, JOB, "asOf", asOf);
	}

	/** This workload's rows: the resend workload's share the table. */
	private List<Map<String, AttributeValue>> scan() {
		List<Map<String, AttributeValue>> items = new ArrayList<>();
		this.dynamoDb.scanPaginator((request) -> request.tableName(TABLE).consistentRead(true))
			.items()
			.forEach((item) -> {
				if (!item.get("assetId").s().startsWith(PostingestQueues.RESEND_PREFIX)) {
					items.add(item);
				}
			});
		return items;
	}

	@Override
	public EndState endState(Yard yard, Run run) {
		EndState state = new EndState();
		List<String> rows = new ArrayList<>();
		for (Map<String, AttributeValue> item : scan()) {
			Map<String, String> fields = new TreeMap<>();
			item.forEach((name, value) -> fields.put(name,
					// When it was queued is now: whether it was set is what compares.
					(name.endsWith("Queued") && !QUEUED.equals(value.s())) ? "set" : value.s()));
			rows.add("row|" + fields);
		}
		state.add(EndState.ROWS, rows);
		List<String> executions = Campaign.executions(yard, run);
		String in = String.join(",", executions);
		state.add(EndState.ROWS, Campaign.skippedItems(yard, in));
		List<String> messages = new ArrayList<>(PostingestQueues.take(this.sqs, this.queues, false));
		for (String note : this.sns.messages()) {
			ObjectNode body = (ObjectNode) JSON.readTree(note);
			ObjectNode properties = (ObjectNode) body.path("properties");
			properties.remove("messageId");
			properties.remove("timestamp");
			messages.add(body.path("parameters").path("assetId").asString() + "|sns|" + body);
		}
		state.add(EndState.MESSAGES, messages);
		// Only the skips: the sweep's effects (messages, row changes, deletes) are not in
		// the chunk transaction, so a row a killed chunk changed is read again and
		// filtered, and one it deleted is not read again: read, write and filter counts
		// of an interrupted sweep differ from the uninterrupted one's by design. A
		// skipped row is left as it was, so every run reads and skips it once.
		state.add(EndState.COUNTS, Campaign.skipCounts(yard, in));
		state.add(EndState.REPORT, Campaign.lastExit(yard, executions));
		return state;
	}

	/**
	 * The rows already changed when the run was interrupted: the restart reads them again
	 * and finds them waiting, so a message sent again for one was sent by the job.
	 */
	@Override
	public Set<String> committedKeys(Yard yard, Run run) {
		Set<String> changed = new HashSet<>(this.initial.keySet());
		for (Map<String, AttributeValue> item : scan()) {
			String asset = item.get("assetId").s();
			if (item.equals(this.initial.get(asset))) {
				changed.remove(asset);
			}
		}
		return changed;
	}

	@Override
	public int atLeastOnceWindow() {
		// a chunk's messages and its notifications
		return 2 * CHUNK;
	}

	@Override
	public List<Fault> faults(Yard yard) {
		return yard.postgresql() ? List.of(Fault.SQS_DOWN, Fault.DATABASE_CONNECTIONS_DROPPED)
				: List.of(Fault.SQS_DOWN);
	}

	@Override
	public void close() {
		this.sns.close();
		this.dynamoDb.close();
		this.sqs.close();
	}

}
