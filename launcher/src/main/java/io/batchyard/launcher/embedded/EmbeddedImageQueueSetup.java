package io.batchyard.launcher.embedded;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import org.springframework.beans.factory.InitializingBean;

/**
 * Creates the {@code image_upload} queue of {@code imageIngestJob} in the embedded
 * ElasticMQ (CreateQueue keeps an existing queue as it is), so a batch submitted on a
 * fresh start has somewhere to announce its images. Production queues are provisioned
 * with the rest of the infrastructure.
 */
class EmbeddedImageQueueSetup implements InitializingBean {

	private static final Log logger = LogFactory.getLog(EmbeddedImageQueueSetup.class);

	private final SqsAsyncClient sqs;

	private final String queue;

	EmbeddedImageQueueSetup(SqsAsyncClient sqs, String queue) {
		this.sqs = sqs;
		this.queue = queue;
	}

	@Override
	public void afterPropertiesSet() {
		String name = this.queue.substring(this.queue.lastIndexOf('/') + 1);
		String url = this.sqs.createQueue((request) -> request.queueName(name)).join().queueUrl();
		logger.info("Image upload queue ready: " + url);
	}

}
