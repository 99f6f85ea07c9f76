package io.batchyard.jobs.postingest;

import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One row of the state table, checked: its key is present, and the attributes every rule
 * reads are strings. The {@code input} (the payload for the first queue, JSON or not) is
 * checked only by the rules that send it ({@link #requiredInput()}): a row that waits on
 * its queue needs none.
 *
 * @param assetId the asset
 * @param batchId its ingest batch
 * @param correlationId the ingest's correlation id, or {@code null}
 * @param queue the alias of the queue the row waits on, or {@code null} for a new row
 * @param lastQueued when it was last sent, or {@code null}
 * @param attributes every attribute, for the confirmation attributes
 */
public record PostingestRow(String assetId, String batchId, String correlationId, String queue, String lastQueued,
		Map<String, AttributeValue> attributes) {

	static final String ASSET_ID = "assetId";

	static final String BATCH_ID = "batchId";

	static final String INPUT = "input";

	static final String CORRELATION_ID = "correlationId";

	static final String QUEUE = "queue";

	static final String FIRST_QUEUED = "firstQueued";

	static final String LAST_QUEUED = "lastQueued";

	/**
	 * Reads a row.
	 * @param item the item's attributes
	 * @return the row
	 * @throws UnprocessableRowException if its key is missing, or its key, correlation
	 * id, queue or last-queued time is not a string
	 */
	public static PostingestRow from(Map<String, AttributeValue> item) {
		return new PostingestRow(required(item, ASSET_ID), required(item, BATCH_ID), optional(item, CORRELATION_ID),
				optional(item, QUEUE), optional(item, LAST_QUEUED), Map.copyOf(item));
	}

	/**
	 * The input, for a rule that sends it.
	 * @return the input
	 * @throws UnprocessableRowException if the row has none, or it is not a string
	 */
	public String requiredInput() {
		return required(this.attributes, INPUT);
	}

	/**
	 * A string attribute of the row, or {@code null} if absent.
	 * @param name its name
	 * @return the value
	 * @throws UnprocessableRowException if it is not a string
	 */
	public String string(String name) {
		return optional(this.attributes, name);
	}

	/** The row's key, for logs and skip records. */
	public String key() {
		return this.assetId + "/" + this.batchId;
	}

	static String key(Map<String, AttributeValue> item) {
		AttributeValue asset = item.get(ASSET_ID);
		AttributeValue batch = item.get(BATCH_ID);
		return ((asset != null) ? asset.s() : null) + "/" + ((batch != null) ? batch.s() : null);
	}

	private static String required(Map<String, AttributeValue> item, String name) {
		String value = optional(item, name);
		if (value == null) {
			throw new UnprocessableRowException("Row " + key(item) + " has no '" + name + "' attribute");
		}
		return value;
	}

	private static String optional(Map<String, AttributeValue> item, String name) {
		AttributeValue value = item.get(name);
		if (value == null || Boolean.TRUE.equals(value.nul())) {
			return null;
		}
		if (value.s() == null) {
			throw new UnprocessableRowException(
					"Row " + key(item) + ": attribute '" + name + "' must be a string, not " + value.type());
		}
		return value.s();
	}

}
