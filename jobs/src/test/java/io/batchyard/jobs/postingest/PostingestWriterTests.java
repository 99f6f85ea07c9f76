package io.batchyard.jobs.postingest;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.batchyard.readers.sqs.SqsBatchSender;
import io.batchyard.test.DynamoDbLocalServer;
import io.batchyard.test.ElasticMqServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.batch.infrastructure.item.Chunk;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PostingestWriter} on DynamoDB Local and ElasticMQ: a row changed by someone else
 * between read and write keeps that change, and the other rows of the chunk are changed,
 * with and without transactional updates.
 */
class PostingestWriterTests {

	static final String TABLE = "writer-state";

	static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

	static DynamoDbAsyncClient dynamoDb;

	static SqsAsyncClient sqs;

	@BeforeAll
	static void clients() {
		dynamoDb = DynamoDbAsyncClient.builder()
			.endpointOverride(URI.create(DynamoDbLocalServer.endpoint()))
			.region(Region.US_EAST_1)
			.credentialsProvider(PostingestTestApplication.CREDENTIALS)
			.build();
		sqs = SqsAsyncClient.builder()
			.endpointOverride(URI.create(ElasticMqServer.endpoint()))
			.region(Region.US_EAST_1)
			.credentialsProvider(PostingestTestApplication.CREDENTIALS)
			.build();
	}

	@AfterAll
	static void close() {
		dynamoDb.close();
		sqs.close();
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void aRowChangedSinceItWasReadKeepsThatChangeAndTheOthersAreChanged(boolean transactional) {
		PostingestServers.recreateTable(TABLE);
		String cc = PostingestServers.queueUrl("writer-cc");
		PostingestServers.drain(cc);
		QueueRoute route = new QueueRoute(
				List.of(new PostingestProperties.Queue("CC", 1, cc, null, null),
						new PostingestProperties.Queue("TC", 2, cc.replace("writer-cc", "writer-tc"), null, null)),
				"result_");
		StateChangeRules rules = new StateChangeRules(route, new PostingestMessages());
		for (String asset : List.of("a", "b", "c")) {
			PostingestServers.put(TABLE, Map.of("assetId", asset, "batchId", "B", "input", "{}", "queue", "CC",
					"lastQueued", "2026-01-01T00:00:00Z"));
		}
		List<Transition> transitions = List.of("a", "b", "c")
			.stream()
			.map((asset) -> rules.resend(PostingestRow.from(PostingestServers.get(TABLE, asset, "B"))))
			.toList();
		// Confirmed and moved on by the sweep after the resend read it.
		PostingestServers.put(TABLE, Map.of("assetId", "b", "batchId", "B", "input", "{}", "queue", "TC", "lastQueued",
				"2026-11-20T00:00:00Z"));
		PostingestWriter writer = new PostingestWriter(SqsBatchSender.builder().client(sqs).build(), null, dynamoDb,
				TABLE, Clock.fixed(NOW, ZoneOffset.UTC), transactional);

		writer.write(new Chunk<>(transitions));

		assertThat(PostingestServers.get(TABLE, "a", "B").get("lastQueued").s()).isEqualTo(NOW.toString());
		assertThat(PostingestServers.get(TABLE, "b", "B").get("lastQueued").s()).isEqualTo("2026-11-20T00:00:00Z");
		assertThat(PostingestServers.get(TABLE, "b", "B").get("queue").s()).isEqualTo("TC");
		assertThat(PostingestServers.get(TABLE, "c", "B").get("lastQueued").s()).isEqualTo(NOW.toString());
		assertThat(PostingestServers.drain(cc)).hasSize(3);
	}

}
