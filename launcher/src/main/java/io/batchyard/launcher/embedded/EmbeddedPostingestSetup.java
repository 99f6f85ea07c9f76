package io.batchyard.launcher.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.batchyard.jobs.postingest.PostingestProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.InitializingBean;
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
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Embedded default only: creates the postingest state table with its
 * {@code queue + lastQueued} index and the configured confirmer queues when they are
 * missing, and loads the sample rows into a table it has just created, so both postingest
 * jobs have work on a fresh start. A queue is created under the last path segment of its
 * configured URL. It runs as an {@link EmbeddedStartup} task once the emulators are up.
 */
class EmbeddedPostingestSetup implements InitializingBean {

	private static final Log logger = LogFactory.getLog(EmbeddedPostingestSetup.class);

	private final Path sampleRows;

	private final PostingestProperties properties;

	private final DynamoDbClient dynamoDb;

	private final SqsAsyncClient sqs;

	private final EmbeddedStartup startup;

	private final List<CompletableFuture<Void>> emulators;

	EmbeddedPostingestSetup(Path sampleRows, PostingestProperties properties, DynamoDbClient dynamoDb,
			SqsAsyncClient sqs, EmbeddedStartup startup, List<CompletableFuture<Void>> emulators) {
		this.sampleRows = sampleRows;
		this.properties = properties;
		this.dynamoDb = dynamoDb;
		this.sqs = sqs;
		this.startup = startup;
		this.emulators = emulators;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.properties == null || !this.properties.enabled()) {
			return;
		}
		this.startup.submit("postingest table and queues", () -> {
			try {
				provision();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, this.emulators);
	}

	private void provision() throws IOException {
		for (PostingestProperties.Queue queue : this.properties.queues()) {
			String url = queue.queueUrl();
			String name = url.substring(url.lastIndexOf('/') + 1);
			this.sqs.createQueue((request) -> request.queueName(name)).join();
		}
		String table = this.properties.tableName();
		if (this.dynamoDb.listTables().tableNames().contains(table)) {
			return;
		}
		this.dynamoDb.createTable((request) -> request.tableName(table)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(string("assetId"), string("batchId"), string("queue"), string("lastQueued"))
			.keySchema(key("assetId", KeyType.HASH), key("batchId", KeyType.RANGE))
			.globalSecondaryIndexes(GlobalSecondaryIndex.builder()
				.indexName(this.properties.indexName())
				.keySchema(key("queue", KeyType.HASH), key("lastQueued", KeyType.RANGE))
				.projection(Projection.builder().projectionType(ProjectionType.ALL).build())
				.build()));
		int loaded = 0;
		if (Files.isRegularFile(this.sampleRows)) {
			JsonNode rows = JsonMapper.builder().build().readTree(this.sampleRows.toFile());
			for (JsonNode row : rows) {
				Map<String, AttributeValue> item = new LinkedHashMap<>();
				row.properties()
					.forEach((entry) -> item.put(entry.getKey(), AttributeValue.fromS(entry.getValue().asString())));
				this.dynamoDb.putItem((request) -> request.tableName(table).item(item));
				loaded++;
			}
		}
		logger.info("Created postingest table " + table + " with " + loaded + " sample row(s) from " + this.sampleRows);
	}

	private static AttributeDefinition string(String name) {
		return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
	}

	private static KeySchemaElement key(String name, KeyType type) {
		return KeySchemaElement.builder().attributeName(name).keyType(type).build();
	}

}
