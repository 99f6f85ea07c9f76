package io.batchyard.jobs.postingest;

import java.time.Duration;

import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * How long a queue keeps a message: the configured override, otherwise the queue's
 * {@code MessageRetentionPeriod}. ElasticMQ never reports that attribute, so there the
 * override is required.
 */
public class QueueRetention {

	private final SqsAsyncClient sqs;

	public QueueRetention(SqsAsyncClient sqs) {
		this.sqs = sqs;
	}

	public Duration of(QueueRoute.Stage stage) {
		if (stage.retention() != null) {
			return stage.retention();
		}
		String seconds = this.sqs
			.getQueueAttributes(GetQueueAttributesRequest.builder()
				.queueUrl(stage.url())
				.attributeNames(QueueAttributeName.MESSAGE_RETENTION_PERIOD)
				.build())
			.join()
			.attributes()
			.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD);
		if (seconds == null) {
			throw new IllegalStateException("Queue " + stage.alias() + " (" + stage.url()
					+ ") did not report its MessageRetentionPeriod; set its retention in batchyard.jobs.postingest.queues");
		}
		return Duration.ofSeconds(Long.parseLong(seconds));
	}

}
