package io.batchyard.jobs.postingest;

import java.util.List;
import java.util.Map;

import io.batchyard.readers.dynamodb.DynamoDbPagingItemReader;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemStreamSupport;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the stale rows of each queue in order, one index query per queue. Each query's
 * reader keeps its own position under its own name; this reader keeps which queue it is
 * on.
 */
public class ResendQueuesReader extends ItemStreamSupport implements ItemStreamReader<Map<String, AttributeValue>> {

	private static final String CURRENT = "current.queue";

	private final List<DynamoDbPagingItemReader> queries;

	private int current;

	private ExecutionContext context;

	public ResendQueuesReader(String name, List<DynamoDbPagingItemReader> queries) {
		setName(name);
		this.queries = List.copyOf(queries);
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.context = executionContext;
		this.current = executionContext.getInt(getExecutionContextKey(CURRENT), 0);
		if (this.current < this.queries.size()) {
			this.queries.get(this.current).open(executionContext);
		}
	}

	@Override
	public Map<String, AttributeValue> read() {
		while (this.current < this.queries.size()) {
			Map<String, AttributeValue> item = this.queries.get(this.current).read();
			if (item != null) {
				return item;
			}
			this.queries.get(this.current).close();
			this.current++;
			if (this.current < this.queries.size()) {
				this.queries.get(this.current).open(this.context);
			}
		}
		return null;
	}

	@Override
	public void update(ExecutionContext executionContext) {
		executionContext.putInt(getExecutionContextKey(CURRENT), this.current);
		if (this.current < this.queries.size()) {
			this.queries.get(this.current).update(executionContext);
		}
	}

	@Override
	public void close() {
		if (this.current < this.queries.size()) {
			this.queries.get(this.current).close();
		}
	}

}
