package io.batchyard.launcher.embedded;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import org.springframework.beans.factory.InitializingBean;

/**
 * Creates the {@code image_upload} queue of {@code imageIngestJob} in the embedded
 * ElasticMQ (CreateQueue keeps an existing queue as it is), so a batch submitted on a
 * fresh start has somewhere to announce its images. Production queues are provisioned
 * with the rest of the infrastructure. It runs as an {@link EmbeddedStartup} task once
 * ElasticMQ is up.
 */
class EmbeddedImageQueueSetup implements InitializingBean {

	private static final Log logger = LogFactory.getLog(EmbeddedImageQueueSetup.class);

	private final SqsAsyncClient sqs;

	private final String queue;

	private final EmbeddedStartup startup;

	private final List<CompletableFuture<Void>> emulators;

	EmbeddedImageQueueSetup(SqsAsyncClient sqs, String queue, EmbeddedStartup startup,
			List<CompletableFuture<Void>> emulators) {
		this.sqs = sqs;
		this.queue = queue;
		this.startup = startup;
		this.emulators = emulators;
	}

	@Override
	public void afterPropertiesSet() {
		this.startup.submit("image upload queue", this::createQueue, this.emulators);
	}

	private void createQueue() {
		String name = this.queue.substring(this.queue.lastIndexOf('/') + 1);
		String url = this.sqs.createQueue((request) -> request.queueName(name)).join().queueUrl();
		logger.info("Image upload queue ready: " + url);
	}

}
