package io.batchyard.readers.sqs;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The size of a message as SQS counts it against a queue's {@code MaximumMessageSize}
 * (for one message, and for the sum of a {@code SendMessageBatch}): the body's UTF-8
 * bytes plus, for each message attribute, the UTF-8 bytes of its name, of its data type
 * and of its string value, or the length of its binary value. System attributes (the
 * X-Ray trace header) do not count.
 */
public final class SqsMessageSize {

	private SqsMessageSize() {
	}

	/**
	 * The size of a message.
	 * @param body the body
	 * @param attributes its message attributes, possibly empty
	 * @return the size in bytes
	 */
	public static long of(String body, Map<String, MessageAttributeValue> attributes) {
		long size = utf8(body);
		for (Map.Entry<String, MessageAttributeValue> attribute : attributes.entrySet()) {
			MessageAttributeValue value = attribute.getValue();
			size += utf8(attribute.getKey()) + utf8(value.dataType());
			if (value.stringValue() != null) {
				size += utf8(value.stringValue());
			}
			else if (value.binaryValue() != null) {
				size += value.binaryValue().asByteArrayUnsafe().length;
			}
		}
		return size;
	}

	private static long utf8(String text) {
		return (text != null) ? text.getBytes(StandardCharsets.UTF_8).length : 0;
	}

}
