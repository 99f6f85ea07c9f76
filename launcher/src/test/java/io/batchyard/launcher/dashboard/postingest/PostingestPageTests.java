package io.batchyard.launcher.dashboard.postingest;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.test.DynamoDbLocalServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The postingest view on DynamoDB Local: rows counted per queue and age on the index, the
 * longest-waiting rows, the rows not queued yet, and the page that shows them.
 */
@BatchyardTest
@TestPropertySource(properties = { "batchyard.jobs.postingest.enabled=true",
		"batchyard.jobs.postingest.table-name=" + PostingestPageTests.TABLE,
		"batchyard.jobs.postingest.queues[0].queue-alias=CC", "batchyard.jobs.postingest.queues[0].queue-order=1",
		"batchyard.jobs.postingest.queues[0].queue-url=http://127.0.0.1:9/000000000000/cc",
		"batchyard.jobs.postingest.queues[1].queue-alias=TC", "batchyard.jobs.postingest.queues[1].queue-order=2",
		"batchyard.jobs.postingest.queues[1].queue-url=http://127.0.0.1:9/000000000000/tc" })
class PostingestPageTests {

	static final String TABLE = "overview-state";

	@DynamicPropertySource
	static void dynamoDb(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.aws.dynamodb.endpoint", DynamoDbLocalServer::endpoint);
	}

	@Autowired
	DynamoDbClient dynamoDb;

	@Autowired
	PostingestOverview overview;

	@Autowired
	MockMvc mvc;

	private final Instant now = Instant.now();

	@BeforeEach
	void table() {
		try {
			this.dynamoDb.deleteTable((b) -> b.tableName(TABLE));
		}
		catch (ResourceNotFoundException ex) {
			// first test
		}
		this.dynamoDb.createTable((b) -> b.tableName(TABLE)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(string("assetId"), string("batchId"), string("queue"), string("lastQueued"))
			.keySchema(key("assetId", KeyType.HASH), key("batchId", KeyType.RANGE))
			.globalSecondaryIndexes(GlobalSecondaryIndex.builder()
				.indexName("QueueLastQueuedIdx")
				.keySchema(key("queue", KeyType.HASH), key("lastQueued", KeyType.RANGE))
				.projection((p) -> p.projectionType(ProjectionType.ALL))
				.build()));
		// CC: 2 under an hour (one exactly 1 h old belongs to the older bucket), 1 of 3
		// h, 3 of 2 days, 1 of 30 days. TC: 1 of 10 minutes. 2 rows not queued yet.
		put("cc-1", "CC", Duration.ofMinutes(5));
		put("cc-2", "CC", Duration.ofMinutes(59));
		put("cc-3", "CC", Duration.ofHours(1));
		put("cc-4", "CC", Duration.ofHours(3));
		put("cc-5", "CC", Duration.ofDays(2));
		put("cc-6", "CC", Duration.ofDays(2).plusHours(1));
		put("cc-7", "CC", Duration.ofDays(2).plusHours(2));
		put("cc-8", "CC", Duration.ofDays(30));
		put("tc-1", "TC", Duration.ofMinutes(10));
		put("new-1", null, null);
		put("new-2", null, null);
	}

	@Test
	void countsEveryRowOnceByQueueAndAgeAndListsTheLongestWaiting() {
		PostingestOverview.Overview result = this.overview.overview(this.now);

		assertThat(result.queues()).extracting(PostingestOverview.QueueRows::alias).containsExactly("CC", "TC");
		PostingestOverview.QueueRows cc = result.queues().get(0);
		assertThat(cc.byAge()).extracting(PostingestOverview.Count::count).containsExactly(2L, 2L, 3L, 1L);
		assertThat(cc.byAge()).allMatch(PostingestOverview.Count::complete);
		assertThat(cc.oldest()).extracting(PostingestOverview.Waiting::assetId)
			.containsExactly("cc-8", "cc-7", "cc-6", "cc-5", "cc-4", "cc-3", "cc-2", "cc-1");
		assertThat(result.queues().get(1).byAge()).extracting(PostingestOverview.Count::count)
			.containsExactly(1L, 0L, 0L, 0L);
		assertThat(result.notQueued()).isEqualTo(new PostingestOverview.Count(2, true));
	}

	@Test
	void showsTheQueuesOnTheDashboard() throws Exception {
		this.mvc.perform(get("/postingest"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("data-queue=\"CC\"")))
			.andExpect(content().string(containsString("<td>cc-8</td>")))
			.andExpect(content().string(containsString("Not queued yet")))
			.andExpect(content().string(containsString("href=\"/postingest\"")));
	}

	@Test
	void saysSoWhenTheTableCannotBeRead() throws Exception {
		this.dynamoDb.deleteTable((b) -> b.tableName(TABLE));

		this.mvc.perform(get("/postingest"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("The state table could not be read")));
	}

	private void put(String assetId, String queue, Duration age) {
		Map<String, AttributeValue> item = new LinkedHashMap<>();
		item.put("assetId", AttributeValue.fromS(assetId));
		item.put("batchId", AttributeValue.fromS("TDR_1"));
		item.put("input", AttributeValue.fromS("{}"));
		if (queue != null) {
			String at = this.now.minus(age).toString();
			item.put("queue", AttributeValue.fromS(queue));
			item.put("firstQueued", AttributeValue.fromS(at));
			item.put("lastQueued", AttributeValue.fromS(at));
		}
		this.dynamoDb.putItem((b) -> b.tableName(TABLE).item(item));
	}

	private static AttributeDefinition string(String name) {
		return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
	}

	private static KeySchemaElement key(String name, KeyType type) {
		return KeySchemaElement.builder().attributeName(name).keyType(type).build();
	}

}
