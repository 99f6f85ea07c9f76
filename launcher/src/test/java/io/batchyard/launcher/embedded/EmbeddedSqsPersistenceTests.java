package io.batchyard.launcher.embedded;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.batchyard.launcher.BatchyardApplication;
import io.batchyard.test.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded ElasticMQ keeps its queues and messages in its database directory: an
 * {@code image_upload} message sent before the application restarts is received after it,
 * and a queue created at run time comes back with its attributes.
 */
class EmbeddedSqsPersistenceTests {

	@TempDir
	Path var;

	@Test
	void aMessageAndAQueueSurviveAnApplicationRestart() {
		int port = FreePorts.next();
		String imageUpload;
		try (ConfigurableApplicationContext application = start(port)) {
			SqsAsyncClient sqs = application.getBean(SqsAsyncClient.class);
			imageUpload = sqs.getQueueUrl((request) -> request.queueName("image_upload")).join().queueUrl();
			sqs.sendMessage((request) -> request.queueUrl(imageUpload)
				.messageBody("{\"trace_id\":\"before-restart\",\"filename\":\"photo.jpg\"}")).join();
			sqs.createQueue((request) -> request.queueName("created-at-run-time")
				.attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "45"))).join();
		}
		assertThat(this.var.resolve("elasticmq/elasticmq.mv.db")).isNotEmptyFile();

		try (ConfigurableApplicationContext application = start(port)) {
			SqsAsyncClient sqs = application.getBean(SqsAsyncClient.class);
			List<Message> received = sqs
				.receiveMessage((request) -> request.queueUrl(imageUpload)
					.maxNumberOfMessages(10)
					.waitTimeSeconds(1)
					.messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
				.join()
				.messages();
			assertThat(received).singleElement().satisfies((message) -> {
				assertThat(message.body()).isEqualTo("{\"trace_id\":\"before-restart\",\"filename\":\"photo.jpg\"}");
				assertThat(message.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
						"1");
			});
			String created = sqs.getQueueUrl((request) -> request.queueName("created-at-run-time")).join().queueUrl();
			assertThat(sqs
				.getQueueAttributes(
						(request) -> request.queueUrl(created).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
				.join()
				.attributes()).containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "45");
		}
	}

	/**
	 * The shipped embedded profile with ports and directories moved, and only ElasticMQ
	 * of the emulators.
	 */
	private ConfigurableApplicationContext start(int sqsPort) {
		return new SpringApplicationBuilder(BatchyardApplication.class).run("--spring.profiles.active=embedded",
				"--server.port=0", "--server.address=127.0.0.1",
				"--spring.datasource.url=jdbc:h2:file:" + this.var.resolve("batchyard") + ";MODE=PostgreSQL",
				"--batchyard.embedded.sqs.port=" + sqsPort,
				"--batchyard.embedded.sqs.db-path=" + this.var.resolve("elasticmq"),
				"--batchyard.embedded.dynamodb.enabled=false", "--batchyard.embedded.sns.enabled=false",
				"--batchyard.embedded.postingest.provision=false", "--batchyard.jobs.postingest.enabled=false",

				"--batchyard.launcher.sqs.enabled=false", "--batchyard.scheduler.enabled=false",
				"--batchyard.embedded.manifest-update.sample-data=" + this.var.resolve("no-samples"),
				"--batchyard.embedded.enhancements.sample-references=" + this.var.resolve("no-samples"),
				"--batchyard.jobs.image-ingest.storage.directory=" + this.var.resolve("images"),
				"--batchyard.jobs.manifest-update.storage.directory=" + this.var.resolve("blobs"),
				"--batchyard.enhancements.storage.directory=" + this.var.resolve("enhancement-blobs"));
	}

}
