package io.batchyard.readers.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.batchyard.test.EmulatorClients;
import io.batchyard.test.DynamoDbLocalServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The restart contract on DynamoDB Local: read some, {@code update}, a new instance,
 * {@code open} with that context, and it continues with the next item, for a scan and for
 * a query on a secondary index, with pages smaller than what is read between saves.
 */
class DynamoDbPagingItemReaderTests {

	static final String TABLE = "reader-contract";

	static DynamoDbClient client;

	@BeforeAll
	static void createTable() {
		client = EmulatorClients.client(DynamoDbClient.builder(), DynamoDbLocalServer.endpoint());
		if (client.listTables().tableNames().contains(TABLE)) {
			client.deleteTable((b) -> b.tableName(TABLE));
		}
		client.createTable((b) -> b.tableName(TABLE)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(s("id"), s("sort"), s("group"), s("rank"))
			.keySchema(k("id", KeyType.HASH), k("sort", KeyType.RANGE))
			.globalSecondaryIndexes(GlobalSecondaryIndex.builder()
				.indexName("byGroup")
				.keySchema(k("group", KeyType.HASH), k("rank", KeyType.RANGE))
				.projection(Projection.builder().projectionType(ProjectionType.ALL).build())
				.build()));
		for (int i = 0; i < 23; i++) {
			Map<String, AttributeValue> item = item(i);
			client.putItem((b) -> b.tableName(TABLE).item(item));
		}
	}

	@AfterAll
	static void close() {
		client.close();
	}

	static Map<String, AttributeValue> item(int i) {
		return Map.of("id", AttributeValue.fromS("item-" + i), "sort", AttributeValue.fromS("x"), "group",
				AttributeValue.fromS((i % 2 == 0) ? "even" : "odd"), "rank",
				AttributeValue.fromS(String.format("%03d", i)));
	}

	DynamoDbPagingItemReader scanReader() {
		return new DynamoDbPagingItemReaderBuilder().name("scanReader")
			.client(client)
			.scan(ScanRequest.builder().tableName(TABLE).limit(4).build())
			.keyAttributes("id", "sort")
			.build();
	}

	DynamoDbPagingItemReader queryReader() {
		return new DynamoDbPagingItemReaderBuilder().name("queryReader")
			.client(client)
			.query(QueryRequest.builder()
				.tableName(TABLE)
				.indexName("byGroup")
				.keyConditionExpression("#g = :g")
				.expressionAttributeNames(Map.of("#g", "group"))
				.expressionAttributeValues(Map.of(":g", AttributeValue.fromS("even")))
				.limit(3)
				.build())
			.keyAttributes("id", "sort", "group", "rank")
			.build();
	}

	@Test
	void aScanReadsEveryItemOnce() {
		assertThat(readAll(scanReader(), new ExecutionContext())).hasSize(23).doesNotHaveDuplicates();
	}

	@Test
	void aQueryReadsInIndexOrder() {
		List<String> ids = readAll(queryReader(), new ExecutionContext());
		assertThat(ids).hasSize(12).startsWith("item-0", "item-2", "item-4").endsWith("item-22");
	}

	@Test
	void aScanRestartsAfterTheLastItemOfTheLastUpdate() {
		assertRestartContract(this::scanReader);
	}

	@Test
	void aQueryRestartsAfterTheLastItemOfTheLastUpdate() {
		assertRestartContract(this::queryReader);
	}

	DynamoDbPagingItemReader segmentReader(int segment, int totalSegments) {
		return new DynamoDbPagingItemReaderBuilder().name("segmentReader")
			.client(client)
			.scan(ScanRequest.builder().tableName(TABLE).limit(2).build())
			.keyAttributes("id", "sort")
			.segment(segment, totalSegments)
			.build();
	}

	@Test
	void theSegmentsOfAParallelScanTogetherReadEveryItemOnce() {
		List<String> all = new ArrayList<>();
		int nonEmpty = 0;
		for (int segment = 0; segment < 4; segment++) {
			List<String> read = readAll(segmentReader(segment, 4), new ExecutionContext());
			all.addAll(read);
			nonEmpty += read.isEmpty() ? 0 : 1;
		}
		assertThat(all).hasSize(23).doesNotHaveDuplicates();
		// Each segment reads its own share: none reads the whole table.
		assertThat(nonEmpty).isGreaterThan(1);
		assertThat(readAll(segmentReader(0, 1), new ExecutionContext())).hasSize(23);
	}

	@Test
	void aSegmentRestartsAfterTheLastItemOfTheLastUpdate() {
		int largest = 0;
		for (int segment = 1; segment < 3; segment++) {
			if (readAll(segmentReader(segment, 3), new ExecutionContext())
				.size() > readAll(segmentReader(largest, 3), new ExecutionContext()).size()) {
				largest = segment;
			}
		}
		int segment = largest;
		assertThat(readAll(segmentReader(segment, 3), new ExecutionContext())).hasSizeGreaterThan(7);
		assertRestartContract(() -> segmentReader(segment, 3));
	}

	@Test
	void theBuilderRefusesASegmentOutsideTheScan() {
		assertThatIllegalStateException().isThrownBy(() -> segmentReader(4, 4))
			.withMessage("The segment must be 0 to 3, not 4");
		assertThatIllegalStateException().isThrownBy(() -> segmentReader(-1, 4))
			.withMessage("The segment must be 0 to 3, not -1");
		assertThatIllegalStateException().isThrownBy(() -> segmentReader(0, 0))
			.withMessage("The total of segments must be 1 to 1,000,000, not 0");
		assertThatIllegalStateException()
			.isThrownBy(() -> new DynamoDbPagingItemReaderBuilder().name("r")
				.client(client)
				.query(QueryRequest.builder().tableName(TABLE).build())
				.keyAttributes("id", "sort")
				.segment(0, 2)
				.build())
			.withMessage("Only a scan has segments");
	}

	@Test
	void theBuilderRefusesAStateSavingReaderWithoutAName() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new DynamoDbPagingItemReaderBuilder().client(client)
				.scan(ScanRequest.builder().tableName(TABLE).build())
				.keyAttributes("id", "sort")
				.build())
			.withMessage("A name is required when saveState is set to true");
	}

	@Test
	void theBuilderRefusesBothAScanAndAQuery() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new DynamoDbPagingItemReaderBuilder().name("r")
				.client(client)
				.scan(ScanRequest.builder().tableName(TABLE).build())
				.query(QueryRequest.builder().tableName(TABLE).build())
				.keyAttributes("id", "sort")
				.build())
			.withMessage("Exactly one of a scan or a query is required");
	}

	void assertRestartContract(java.util.function.Supplier<DynamoDbPagingItemReader> readers) {
		List<String> expected = readAll(readers.get(), new ExecutionContext());
		ExecutionContext context = new ExecutionContext();
		DynamoDbPagingItemReader first = readers.get();
		first.open(context);
		List<String> read = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			read.add(first.read().get("id").s());
		}
		first.update(context);
		// Read past the saved position: a chunk that never committed.
		first.read();
		first.read();
		first.close();

		DynamoDbPagingItemReader second = readers.get();
		second.open(context);
		Map<String, AttributeValue> item;
		while ((item = second.read()) != null) {
			read.add(item.get("id").s());
		}
		second.close();

		assertThat(read).containsExactlyElementsOf(expected);
		assertThat(second.getReadCount()).isEqualTo(expected.size());
	}

	static List<String> readAll(DynamoDbPagingItemReader reader, ExecutionContext context) {
		reader.open(context);
		List<String> ids = new ArrayList<>();
		Map<String, AttributeValue> item;
		while ((item = reader.read()) != null) {
			ids.add(item.get("id").s());
		}
		reader.close();
		return ids;
	}

	static AttributeDefinition s(String name) {
		return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
	}

	static KeySchemaElement k(String name, KeyType type) {
		return KeySchemaElement.builder().attributeName(name).keyType(type).build();
	}

}
