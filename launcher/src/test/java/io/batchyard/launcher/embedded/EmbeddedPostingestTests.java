package io.batchyard.launcher.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.launcher.BatchyardApplication;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.test.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default runs both postingest jobs on a fresh start: it creates the state
 * table and the confirmer queues, loads {@code sample-data/postingest/rows.json}, and the
 * jobs talk to the in-process DynamoDB Local, ElasticMQ and SNS stand-in.
 */
class EmbeddedPostingestTests {

	@Test
	void aFreshStartLoadsTheSampleRowsAndRunsTheSweepAndTheResend(@TempDir Path dynamoDbPath, @TempDir Path sqsPath) {
		int sqsPort = FreePorts.next();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BatchyardApplication.class).run(
				"--spring.profiles.active=embedded", "--server.port=0",
				"--spring.datasource.url=jdbc:h2:mem:postingest-" + sqsPort + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL",
				"--batchyard.embedded.sqs.port=" + sqsPort, "--batchyard.embedded.dynamodb.port=" + FreePorts.next(),
				"--batchyard.embedded.sns.port=" + FreePorts.next(),
				"--batchyard.embedded.dynamodb.db-path=" + dynamoDbPath, "--batchyard.embedded.sqs.db-path=" + sqsPath,
				"--batchyard.jobs.postingest.enabled=true",
				"--batchyard.embedded.postingest.sample-rows=../sample-data/postingest/rows.json")) {
			JobLaunchService launcher = context.getBean(JobLaunchService.class);
			DynamoDbClient dynamoDb = context.getBean(DynamoDbClient.class);
			SqsAsyncClient sqs = context.getBean(SqsAsyncClient.class);
			EmbeddedSnsServer sns = context.getBean(EmbeddedSnsServer.class);
			assertThat(dynamoDb.scan((b) -> b.tableName("postingest-state")).count()).isEqualTo(5);

			JobExecution sweep = finished(launcher,
					launcher.launch(new LaunchRequest("postingestSweepJob", Map.of("asOf", "2026-11-23T10:00:00Z"))));

			assertThat(sweep.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(sweep.getStepExecutions().iterator().next().getWriteCount()).isEqualTo(4);
			assertThat(sns.recent()).hasSize(4)
				.allSatisfy((publish) -> assertThat(publish.get("TopicArn"))
					.isEqualTo("arn:aws:sns:us-east-1:000000000000:batchyard-postingest-notifications"));
			String cc = url(sqs, "postingest-custodial-copy-confirmer");
			String tc = url(sqs, "postingest-custodial-copy-tape-confirmer");
			assertThat(drain(sqs, cc)).hasSize(2)
				.anySatisfy((body) -> assertThat(body).contains("\"payload\":\"preservation system id 5e1c"));
			assertThat(drain(sqs, tc)).singleElement()
				.asString()
				.contains("\"payload\":{\"filePaths\":[\"/ocfl/4d2b/v1/content/file.tif\"]}");
			assertThat(dynamoDb.scan((b) -> b.tableName("postingest-state")).count()).isEqualTo(4);

			JobExecution resend = finished(launcher,
					launcher.launch(new LaunchRequest("postingestResendJob", Map.of("asOf", "2026-11-23T10:00:00Z"))));

			assertThat(resend.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(drain(sqs, cc)).singleElement()
				.asString()
				.contains("\"assetId\":\"ca3bb9d5-c5bf-4da8-9ad7-a937f163b006\"");
			Map<String, AttributeValue> stale = dynamoDb
				.getItem(
						(b) -> b.tableName("postingest-state")
							.key(Map.of("assetId", AttributeValue.fromS("ca3bb9d5-c5bf-4da8-9ad7-a937f163b006"),
									"batchId", AttributeValue.fromS("TDR_5d29749b-4891-4ae4-abdd-d57c9bab00ee"))))
				.item();
			assertThat(stale.get("lastQueued").s()).isGreaterThan("2026-11-23");
		}
	}

	private static JobExecution finished(JobLaunchService launcher, JobExecution launched) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> !launcher.execution(launched.getId()).getStatus().isRunning());
		return launcher.execution(launched.getId());
	}

	private static String url(SqsAsyncClient sqs, String name) {
		return sqs.getQueueUrl((b) -> b.queueName(name)).join().queueUrl();
	}

	private static List<String> drain(SqsAsyncClient sqs, String url) {
		List<Message> messages = sqs.receiveMessage((b) -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
			.join()
			.messages();
		messages.forEach((m) -> sqs.deleteMessage((b) -> b.queueUrl(url).receiptHandle(m.receiptHandle())).join());
		return messages.stream().map(Message::body).toList();
	}

}
