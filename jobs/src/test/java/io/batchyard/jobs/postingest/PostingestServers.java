package io.batchyard.jobs.postingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.batchyard.test.EmulatorClients;
import io.batchyard.test.DynamoDbLocalServer;
import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.SnsQueryServer;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The real servers of the postingest tests (one per JVM) and what the tests do to them
 * directly: create the state table and queues, put rows, read rows and drain queues.
 */
final class PostingestServers {

	static final String TABLE = "postingest-state-test";

	static final String INDEX = "QueueLastQueuedIdx";

	private static SnsQueryServer sns;

	private static DynamoDbClient dynamoDb;

	private static SqsClient sqs;

	private static final Map<String, String> queueUrls = new java.util.concurrent.ConcurrentHashMap<>();

	private PostingestServers() {
	}

	static synchronized SnsQueryServer sns() {
		if (sns == null) {
			sns = SnsQueryServer.start();
			Runtime.getRuntime().addShutdownHook(new Thread(sns::close, "sns-shutdown"));
		}
		return sns;
	}

	static synchronized DynamoDbClient dynamoDb() {
		if (dynamoDb == null) {
			dynamoDb = EmulatorClients.client(DynamoDbClient.builder(), DynamoDbLocalServer.endpoint());
		}
		return dynamoDb;
	}

	static synchronized SqsClient sqs() {
		if (sqs == null) {
			sqs = EmulatorClients.client(SqsClient.builder(), ElasticMqServer.endpoint());
		}
		return sqs;
	}

	static String queueUrl(String name) {
		return queueUrls.computeIfAbsent(name, (n) -> sqs().createQueue((b) -> b.queueName(n)).queueUrl());
	}

	/** Drops and recreates the table with its index, empty. */
	static void recreateTable(String table) {
		if (dynamoDb().listTables().tableNames().contains(table)) {
			dynamoDb().deleteTable((b) -> b.tableName(table));
		}
		dynamoDb().createTable(CreateTableRequest.builder()
			.tableName(table)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(attribute("assetId"), attribute("batchId"), attribute("queue"),
					attribute("lastQueued"))
			.keySchema(key("assetId", KeyType.HASH), key("batchId", KeyType.RANGE))
			.globalSecondaryIndexes(GlobalSecondaryIndex.builder()
				.indexName(INDEX)
				.keySchema(key("queue", KeyType.HASH), key("lastQueued", KeyType.RANGE))
				.projection(Projection.builder().projectionType(ProjectionType.ALL).build())
				.build())
			.build());
	}

	static void put(String table, Map<String, String> attributes) {
		Map<String, AttributeValue> item = new java.util.LinkedHashMap<>();
		attributes.forEach((name, value) -> item.put(name, AttributeValue.fromS(value)));
		dynamoDb().putItem(PutItemRequest.builder().tableName(table).item(item).build());
	}

	static void putRaw(String table, Map<String, AttributeValue> item) {
		dynamoDb().putItem(PutItemRequest.builder().tableName(table).item(item).build());
	}

	static Map<String, AttributeValue> get(String table, String assetId, String batchId) {
		return dynamoDb()
			.getItem(GetItemRequest.builder()
				.tableName(table)
				.consistentRead(true)
				.key(Map.of("assetId", AttributeValue.fromS(assetId), "batchId", AttributeValue.fromS(batchId)))
				.build())
			.item();
	}

	static int count(String table) {
		return dynamoDb().scan(ScanRequest.builder().tableName(table).build()).count();
	}

	/** Receives and deletes every message now in the queue. */
	static List<String> drain(String queueUrl) {
		List<String> bodies = new ArrayList<>();
		while (true) {
			ReceiveMessageResponse response = sqs()
				.receiveMessage((b) -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0));
			if (!response.hasMessages() || response.messages().isEmpty()) {
				return bodies;
			}
			for (Message message : response.messages()) {
				bodies.add(message.body());
				sqs().deleteMessage((b) -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
			}
		}
	}

	private static AttributeDefinition attribute(String name) {
		return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
	}

	private static KeySchemaElement key(String name, KeyType type) {
		return KeySchemaElement.builder().attributeName(name).keyType(type).build();
	}

}
