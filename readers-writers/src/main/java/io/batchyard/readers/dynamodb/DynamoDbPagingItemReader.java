package io.batchyard.readers.dynamodb;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemStreamSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Pages through a DynamoDB {@code Scan} or {@code Query} and returns each item as its
 * attribute map.
 * <p>
 * The position saved in the {@link ExecutionContext} is the key of the last item
 * <em>returned</em> (not the page's {@code LastEvaluatedKey}): DynamoDB accepts any key
 * as {@code ExclusiveStartKey}, so a restart continues right after the last item of the
 * last committed chunk, whatever the page size, even if that item has since been updated
 * or deleted. For a query on a secondary index the key holds the table's key attributes
 * and the index's.
 * <p>
 * Not thread-safe: one instance per step execution.
 */
public class DynamoDbPagingItemReader extends ItemStreamSupport
		implements ItemStreamReader<Map<String, AttributeValue>> {

	static final String START_KEY = "start.key";

	static final String READ_COUNT = "read.count";

	private final DynamoDbClient client;

	private final Function<Map<String, AttributeValue>, Page> pageFetcher;

	private final List<String> keyAttributes;

	private final boolean saveState;

	private final Deque<Map<String, AttributeValue>> buffer = new ArrayDeque<>();

	private Map<String, AttributeValue> nextStartKey;

	private Map<String, AttributeValue> lastReturnedKey;

	private boolean exhausted;

	private long readCount;

	DynamoDbPagingItemReader(String name, DynamoDbClient client, ScanRequest scan, QueryRequest query,
			List<String> keyAttributes, boolean saveState) {
		if (name != null) {
			setName(name);
		}
		this.client = client;
		this.keyAttributes = List.copyOf(keyAttributes);
		this.saveState = saveState;
		if (scan != null) {
			this.pageFetcher = (start) -> {
				ScanResponse response = this.client.scan(scan.toBuilder().exclusiveStartKey(start).build());
				return new Page(response.items(), response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null);
			};
		}
		else {
			this.pageFetcher = (start) -> {
				QueryResponse response = this.client.query(query.toBuilder().exclusiveStartKey(start).build());
				return new Page(response.items(), response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null);
			};
		}
	}

	@Override
	public void open(ExecutionContext executionContext) throws ItemStreamException {
		this.buffer.clear();
		this.exhausted = false;
		this.readCount = 0;
		this.nextStartKey = null;
		this.lastReturnedKey = null;
		if (this.saveState && executionContext.containsKey(getExecutionContextKey(START_KEY))) {
			Object saved = executionContext.get(getExecutionContextKey(START_KEY));
			this.lastReturnedKey = (saved != null) ? StoredKey.fromStrings(castMap(saved)) : null;
			this.nextStartKey = this.lastReturnedKey;
			this.readCount = executionContext.getLong(getExecutionContextKey(READ_COUNT), 0L);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> castMap(Object value) {
		return (Map<String, String>) value;
	}

	@Override
	public Map<String, AttributeValue> read() {
		while (this.buffer.isEmpty() && !this.exhausted) {
			Page page = this.pageFetcher.apply((this.nextStartKey != null) ? this.nextStartKey : null);
			this.buffer.addAll(page.items());
			this.nextStartKey = page.lastEvaluatedKey();
			this.exhausted = (this.nextStartKey == null);
		}
		Map<String, AttributeValue> item = this.buffer.poll();
		if (item != null) {
			this.lastReturnedKey = keyOf(item);
			this.readCount++;
		}
		return item;
	}

	private Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
		Map<String, AttributeValue> key = new LinkedHashMap<>();
		for (String attribute : this.keyAttributes) {
			AttributeValue value = item.get(attribute);
			if (value == null) {
				throw new IllegalStateException("Item has no key attribute '" + attribute + "'; the key attributes of "
						+ getName() + " must be the table's and, for an index, the index's");
			}
			key.put(attribute, value);
		}
		return key;
	}

	@Override
	public void update(ExecutionContext executionContext) throws ItemStreamException {
		if (this.saveState) {
			executionContext.put(getExecutionContextKey(START_KEY),
					(this.lastReturnedKey != null) ? StoredKey.toStrings(this.lastReturnedKey) : null);
			executionContext.putLong(getExecutionContextKey(READ_COUNT), this.readCount);
		}
	}

	@Override
	public void close() throws ItemStreamException {
		this.buffer.clear();
	}

	/** Items read so far, in this and earlier executions. */
	public long getReadCount() {
		return this.readCount;
	}

	private record Page(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> lastEvaluatedKey) {

	}

}
