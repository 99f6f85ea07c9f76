package io.batchyard.jobs.imageingest;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.batchyard.readers.sqs.OutboundMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code image_upload} message of a stored image, with the fields of the original
 * service's {@code ImageUpload} ({@code telegram_id} 0 and {@code telegram_username}
 * {@code batch_{job_id}} mark a batch image) plus the batch id. The message id is the
 * trace id: a consumer that sees the same trace id twice (a chunk replayed after a crash
 * between send and commit) has seen the same image.
 */
public class ImageUploadMessages {

	private final JsonMapper json;

	private final Clock clock;

	public ImageUploadMessages(JsonMapper json, Clock clock) {
		this.json = json;
		this.clock = clock;
	}

	public OutboundMessage of(ImageRow image, String queueUrl) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("timestamp", Instant.now(this.clock).toString());
		body.put("trace_id", image.traceId());
		body.put("group_id", image.groupId());
		body.put("telegram_username", "batch_" + image.batchId());
		body.put("original_filename", image.filename());
		body.put("original_path", image.processedPath());
		body.put("telegram_id", 0);
		body.put("batch_id", image.batchId());
		return new OutboundMessage(image.traceId(), queueUrl, this.json.writeValueAsString(body));
	}

}
