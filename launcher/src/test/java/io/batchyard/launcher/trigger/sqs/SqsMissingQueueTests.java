package io.batchyard.launcher.trigger.sqs;

import java.util.UUID;

import io.batchyard.launcher.BatchyardApplication;
import io.batchyard.test.ElasticMqServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Without {@code create-queues} (production) a missing queue stops the startup rather
 * than being created on the fly without a dead-letter queue.
 */
class SqsMissingQueueTests {

	@Test
	void refusesToStartWhenAQueueIsMissingAndQueuesAreNotCreated() {
		String queue = "missing-" + UUID.randomUUID();
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(BatchyardApplication.class).run("--server.port=0",
					"--batchyard.launcher.sqs.enabled=true", "--batchyard.launcher.sqs.create-queues=false",
					"--batchyard.launcher.sqs.launch-queue=" + queue,
					"--spring.cloud.aws.sqs.endpoint=" + ElasticMqServer.endpoint()))
			.withStackTraceContaining(queue)
			.havingRootCause()
			.isInstanceOf(QueueDoesNotExistException.class);
	}

}
