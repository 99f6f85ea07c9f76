package io.batchyard.readers.sqs;

import java.util.Map;

import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * One message to send.
 *
 * @param id an id unique within one call to {@link SqsBatchSender#send}, used to name the
 * message when it fails (a business key such as an asset id)
 * @param queueUrl the queue
 * @param body the body
 * @param attributes its message attributes (they count towards its size), possibly empty
 */
public record OutboundMessage(String id, String queueUrl, String body, Map<String, MessageAttributeValue> attributes) {

	public OutboundMessage {
		attributes = (attributes != null) ? Map.copyOf(attributes) : Map.of();
	}

	/**
	 * A message without attributes.
	 * @param id an id unique within one call to {@link SqsBatchSender#send}
	 * @param queueUrl the queue
	 * @param body the body
	 */
	public OutboundMessage(String id, String queueUrl, String body) {
		this(id, queueUrl, body, Map.of());
	}

	/**
	 * Its size as SQS counts it against the queue's maximum message size.
	 * @return the size in bytes
	 * @see SqsMessageSize
	 */
	public long size() {
		return SqsMessageSize.of(this.body, this.attributes);
	}

}
