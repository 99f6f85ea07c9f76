package io.batchyard.readers.sns;

import java.nio.charset.StandardCharsets;

/**
 * One message to publish.
 *
 * @param id a business key naming the message when it fails (a row key, an asset id); not
 * sent to SNS
 * @param body the message body
 */
public record OutboundNotification(String id, String body) {

	public OutboundNotification {
		if (body == null) {
			throw new IllegalArgumentException("A message body is required (message " + id + ")");
		}
	}

	/**
	 * Its size as SNS counts it against {@value PublishBatches#MAX_BYTES} bytes: the
	 * UTF-8 bytes of the body (no message attributes are sent).
	 * @return the size in bytes
	 */
	public long size() {
		return this.body.getBytes(StandardCharsets.UTF_8).length;
	}

}
