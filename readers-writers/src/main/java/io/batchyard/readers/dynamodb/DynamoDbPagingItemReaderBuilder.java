package io.batchyard.readers.dynamodb;

import java.util.ArrayList;
import java.util.List;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Builds a {@link DynamoDbPagingItemReader} over exactly one of a scan or a query.
 */
public class DynamoDbPagingItemReaderBuilder {

	private String name;

	private DynamoDbClient client;

	private ScanRequest scan;

	private QueryRequest query;

	private final List<String> keyAttributes = new ArrayList<>();

	private boolean saveState = true;

	private Integer segment;

	private int totalSegments = 1;

	/**
	 * The reader's name: the prefix of its keys in the ExecutionContext.
	 * @param name the name
	 * @return this builder
	 */
	public DynamoDbPagingItemReaderBuilder name(String name) {
		this.name = name;
		return this;
	}

	public DynamoDbPagingItemReaderBuilder client(DynamoDbClient client) {
		this.client = client;
		return this;
	}

	/**
	 * Pages through a scan; its {@code exclusiveStartKey} is set by the reader.
	 * @param scan the request
	 * @return this builder
	 */
	public DynamoDbPagingItemReaderBuilder scan(ScanRequest scan) {
		this.scan = scan;
		return this;
	}

	/**
	 * Pages through a query; its {@code exclusiveStartKey} is set by the reader.
	 * @param query the request
	 * @return this builder
	 */
	public DynamoDbPagingItemReaderBuilder query(QueryRequest query) {
		this.query = query;
		return this;
	}

	/**
	 * The attributes that make up a position: the table's key attributes, plus the
	 * index's for a query on a secondary index.
	 * @param attributes the names
	 * @return this builder
	 */
	public DynamoDbPagingItemReaderBuilder keyAttributes(String... attributes) {
		this.keyAttributes.addAll(List.of(attributes));
		return this;
	}

	/**
	 * Reads one segment of a parallel scan: the items DynamoDB assigns to {@code segment}
	 * of {@code totalSegments} (by the hash of their partition key, so a row stays in its
	 * segment when it is updated). The segments of one {@code totalSegments} together
	 * hold every item once.
	 * @param segment the segment, from 0
	 * @param totalSegments how many segments the scan is split into
	 * @return this builder
	 */
	public DynamoDbPagingItemReaderBuilder segment(int segment, int totalSegments) {
		this.segment = segment;
		this.totalSegments = totalSegments;
		return this;
	}

	public DynamoDbPagingItemReaderBuilder saveState(boolean saveState) {
		this.saveState = saveState;
		return this;
	}

	public DynamoDbPagingItemReader build() {
		if (this.saveState) {
			Assert.state(StringUtils.hasText(this.name), "A name is required when saveState is set to true");
		}
		Assert.notNull(this.client, "A DynamoDbClient is required");
		Assert.state((this.scan == null) != (this.query == null), "Exactly one of a scan or a query is required");
		Assert.state(!this.keyAttributes.isEmpty(), "The key attributes are required");
		String table = (this.scan != null) ? this.scan.tableName() : this.query.tableName();
		Assert.state(StringUtils.hasText(table), "The request must name a table");
		ScanRequest scan = this.scan;
		if (this.segment != null) {
			Assert.state(scan != null, "Only a scan has segments");
			Assert.state(this.totalSegments >= 1 && this.totalSegments <= 1_000_000,
					"The total of segments must be 1 to 1,000,000, not " + this.totalSegments);
			Assert.state(this.segment >= 0 && this.segment < this.totalSegments,
					"The segment must be 0 to " + (this.totalSegments - 1) + ", not " + this.segment);
			Assert.state(scan.segment() == null && scan.totalSegments() == null,
					"Give the segment either on the scan request or to the builder, not both");
			if (this.totalSegments > 1) {
				scan = scan.toBuilder().segment(this.segment).totalSegments(this.totalSegments).build();
			}
		}
		return new DynamoDbPagingItemReader(this.name, this.client, scan, this.query, this.keyAttributes,
				this.saveState);
	}

}
