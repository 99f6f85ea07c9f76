package io.batchyard.jobs.postingest;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import io.batchyard.readers.sqs.SqsMessageSize;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bodies of the SQS messages to the confirmers and of the SNS notifications, as the
 * original lambdas wrote them.
 */
public final class PostingestMessages {

	/** An update notification: a stage started or was confirmed. */
	public static final String INGEST_UPDATE = "preserve.digital.asset.ingest.update";

	/** The last stage was confirmed. */
	public static final String INGEST_COMPLETE = "preserve.digital.asset.ingest.complete";

	private final JsonMapper mapper;

	private final Supplier<UUID> messageIds;

	public PostingestMessages(JsonMapper mapper, Supplier<UUID> messageIds) {
		this.mapper = mapper;
		this.messageIds = messageIds;
	}

	public PostingestMessages() {
		this(JsonMapper.builder().build(), UUID::randomUUID);
	}

	/**
	 * The message to a confirmer queue: {@code assetId}, {@code batchId},
	 * {@code resultAttrName} and {@code payload}, the payload parsed as JSON or, when it
	 * is not JSON, kept as a string.
	 * @param row the row
	 * @param stage the queue
	 * @param payload the payload text
	 * @return the body
	 */
	public String queueMessage(PostingestRow row, QueueRoute.Stage stage, String payload) {
		ObjectNode body = this.mapper.createObjectNode();
		body.put("assetId", row.assetId());
		body.put("batchId", row.batchId());
		body.put("resultAttrName", stage.resultAttribute());
		JsonNode parsed = parseOrNull(payload);
		if (parsed != null) {
			body.set("payload", parsed);
		}
		else {
			body.put("payload", payload);
		}
		return this.mapper.writeValueAsString(body);
	}

	/**
	 * The notification: {@code properties} ({@code executionId} = batch id,
	 * {@code messageId}, {@code parentMessageId} = correlation id, {@code timestamp},
	 * {@code messageType}) and {@code parameters} ({@code assetId}, {@code status}).
	 * @param row the row
	 * @param messageType the message type
	 * @param status the status text
	 * @param now the timestamp
	 * @return the body
	 */
	public String notification(PostingestRow row, String messageType, String status, Instant now) {
		ObjectNode body = this.mapper.createObjectNode();
		ObjectNode properties = body.putObject("properties");
		properties.put("executionId", row.batchId());
		properties.put("messageId", this.messageIds.get().toString());
		if (row.correlationId() != null) {
			properties.put("parentMessageId", row.correlationId());
		}
		else {
			properties.putNull("parentMessageId");
		}
		properties.put("timestamp", now.toString());
		properties.put("messageType", messageType);
		ObjectNode parameters = body.putObject("parameters");
		parameters.put("assetId", row.assetId());
		parameters.put("status", status);
		return this.mapper.writeValueAsString(body);
	}

	/**
	 * Whether a text is JSON.
	 * @param text the text
	 * @return whether it parses
	 */
	public boolean isJson(String text) {
		return parseOrNull(text) != null;
	}

	private JsonNode parseOrNull(String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			JsonNode node = this.mapper.readTree(text);
			return (node == null || node.isMissingNode()) ? null : node;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * Why a queue cannot take a body, or {@code null} if it can: larger than the queue's
	 * maximum message size (counted as SQS counts it), or characters outside those SQS
	 * allows (#x9, #xA, #xD, #x20 to #xD7FF, #xE000 to #xFFFD, #x10000 to #x10FFFF).
	 * @param body the body
	 * @param maxBytes the queue's maximum message size
	 * @return the reason, or {@code null}
	 */
	static String unsendable(String body, int maxBytes) {
		long bytes = SqsMessageSize.of(body, Map.of());
		if (bytes > maxBytes) {
			return "the message would be " + bytes + " bytes, over the queue's maximum message size of " + maxBytes
					+ " bytes";
		}
		for (int i = 0; i < body.length();) {
			int c = body.codePointAt(i);
			boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
					|| (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
			if (!allowed) {
				return "the message holds the character U+" + String.format("%04X", c) + ", which SQS does not allow";
			}
			i += Character.charCount(c);
		}
		return null;
	}

}
