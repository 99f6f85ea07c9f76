package io.batchyard.jobs.postingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.batchyard.test.EmulatorClients;
import io.batchyard.readers.sqs.SqsBatchSender;
import io.batchyard.test.DynamoDbLocalServer;
import io.batchyard.test.ElasticMqServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.Chunk;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PostingestWriter} on DynamoDB Local and ElasticMQ: a row changed by someone else
 * between read and write keeps that change, and the other rows of the chunk are changed;
 * a chunk larger than one {@code BatchExecuteStatement} call changes every row.
 */
class PostingestWriterTests {

	static final String TABLE = "writer-state";

	static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

	static DynamoDbAsyncClient dynamoDb;

	static SqsAsyncClient sqs;

	@BeforeAll
	static void clients() {
		dynamoDb = EmulatorClients.client(DynamoDbAsyncClient.builder(), DynamoDbLocalServer.endpoint());
		sqs = EmulatorClients.client(SqsAsyncClient.builder(), ElasticMqServer.endpoint());
	}

	@AfterAll
	static void close() {
		dynamoDb.close();
		sqs.close();
	}

	@Test
	void aRowChangedSinceItWasReadKeepsThatChangeAndTheOthersAreChanged() {
		PostingestServers.recreateTable(TABLE);
		String cc = PostingestServers.queueUrl("writer-cc");
		PostingestServers.drain(cc);
		QueueRoute route = new QueueRoute(
				List.of(new PostingestProperties.Queue("CC", 1, cc, null, null),
						new PostingestProperties.Queue("TC", 2, cc.replace("writer-cc", "writer-tc"), null, null)),
				"result_");
		StateChangeRules rules = new StateChangeRules(route, new PostingestMessages(), (url) -> 262_144);
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
				TABLE, Clock.fixed(NOW, ZoneOffset.UTC), 3, Duration.ofMillis(50));

		writer.write(new Chunk<>(transitions));

		assertThat(PostingestServers.get(TABLE, "a", "B").get("lastQueued").s()).isEqualTo(NOW.toString());
		assertThat(PostingestServers.get(TABLE, "b", "B").get("lastQueued").s()).isEqualTo("2026-11-20T00:00:00Z");
		assertThat(PostingestServers.get(TABLE, "b", "B").get("queue").s()).isEqualTo("TC");
		assertThat(PostingestServers.get(TABLE, "c", "B").get("lastQueued").s()).isEqualTo(NOW.toString());
		assertThat(PostingestServers.drain(cc)).hasSize(3);
	}

	@Test
	void everyKindOfChangeKeepsItsConditionAcrossSeveralStatementBatches() {
		PostingestServers.recreateTable(TABLE);
		String cc = PostingestServers.queueUrl("writer-cc");
		String tc = PostingestServers.queueUrl("writer-tc");
		PostingestServers.drain(cc);
		PostingestServers.drain(tc);
		QueueRoute route = new QueueRoute(List.of(new PostingestProperties.Queue("CC", 1, cc, null, null),
				new PostingestProperties.Queue("TC", 2, tc, null, null)), "result_");
		QueueRoute.Stage first = route.first();
		QueueRoute.Stage second = route.after(first);
		List<Transition> transitions = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			PostingestServers.put(TABLE, Map.of("assetId", "new-" + i, "batchId", "B", "input", "{}"));
			transitions.add(new Transition(PostingestRow.from(PostingestServers.get(TABLE, "new-" + i, "B")),
					Transition.Kind.ENQUEUE, first, "{}", null, null));
			PostingestServers.put(TABLE, Map.of("assetId", "cc-" + i, "batchId", "B", "input", "{}", "queue", "CC",
					"lastQueued", "2026-01-01T00:00:00Z", "result_CC", "{}"));
			transitions.add(new Transition(PostingestRow.from(PostingestServers.get(TABLE, "cc-" + i, "B")),
					Transition.Kind.ADVANCE, second, "{}", null, "result_CC"));
			PostingestServers.put(TABLE, Map.of("assetId", "tc-" + i, "batchId", "B", "input", "{}", "queue", "TC",
					"lastQueued", "2026-01-01T00:00:00Z", "result_TC", "{}"));
			transitions.add(new Transition(PostingestRow.from(PostingestServers.get(TABLE, "tc-" + i, "B")),
					Transition.Kind.COMPLETE, null, null, null, "result_TC"));
		}
		// Changed by others after the read: deleted, its confirmation withdrawn, moved.
		PostingestServers.dynamoDb()
			.deleteItem((b) -> b.tableName(TABLE)
				.key(Map.of("assetId", AttributeValue.fromS("new-7"), "batchId", AttributeValue.fromS("B"))));
		PostingestServers.put(TABLE, Map.of("assetId", "cc-7", "batchId", "B", "input", "{}", "queue", "CC",
				"lastQueued", "2026-01-01T00:00:00Z"));
		PostingestServers.put(TABLE, Map.of("assetId", "tc-7", "batchId", "B", "input", "{}", "queue", "CC",
				"lastQueued", "2026-11-01T00:00:00Z"));
		PostingestWriter writer = new PostingestWriter(SqsBatchSender.builder().client(sqs).build(), null, dynamoDb,
				TABLE, Clock.fixed(NOW, ZoneOffset.UTC), 3, Duration.ofMillis(50));

		writer.write(new Chunk<>(transitions));

		for (int i = 0; i < 20; i++) {
			if (i == 7) {
				continue;
			}
			Map<String, AttributeValue> enqueued = PostingestServers.get(TABLE, "new-" + i, "B");
			assertThat(enqueued.get("queue").s()).isEqualTo("CC");
			assertThat(enqueued.get("firstQueued").s()).isEqualTo(NOW.toString());
			assertThat(enqueued.get("lastQueued").s()).isEqualTo(NOW.toString());
			Map<String, AttributeValue> advanced = PostingestServers.get(TABLE, "cc-" + i, "B");
			assertThat(advanced.get("queue").s()).isEqualTo("TC");
			assertThat(advanced.get("lastQueued").s()).isEqualTo(NOW.toString());
			assertThat(PostingestServers.get(TABLE, "tc-" + i, "B")).isEmpty();
		}
		assertThat(PostingestServers.get(TABLE, "new-7", "B")).as("not recreated").isEmpty();
		assertThat(PostingestServers.get(TABLE, "cc-7", "B").get("queue").s()).isEqualTo("CC");
		assertThat(PostingestServers.get(TABLE, "tc-7", "B").get("lastQueued").s()).isEqualTo("2026-11-01T00:00:00Z");
		assertThat(PostingestServers.count(TABLE)).as("19 enqueued, 20 advanced, 1 kept").isEqualTo(19 + 20 + 1);
		// Messages go first: a row whose change is refused was still sent to (at least
		// once).
		assertThat(PostingestServers.drain(cc)).hasSize(20);
		assertThat(PostingestServers.drain(tc)).hasSize(20);
	}

}
