package io.batchyard.launcher.trigger.sqs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.trigger.sqs.TriggerActivity.Outcome;
import io.batchyard.test.ElasticMqServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A DLCS batch-completion notification, in its SNS envelope, on a real ElasticMQ queue
 * launches {@code manifestUpdateJob} with customer and batch id. A batch no manifest
 * tracks ends the job with {@code UNKNOWN BATCH}; the message is deleted, and a
 * redelivered one finds the same instance and is deleted too.
 */
@BatchyardTest
@TestPropertySource(properties = { "batchyard.launcher.sqs.enabled=true", "batchyard.launcher.sqs.create-queues=true",
		"batchyard.launcher.sqs.max-receive-count=2", "batchyard.launcher.sqs.visibility-timeout=2s",
		"batchyard.launcher.sqs.poll-timeout=1s" })
class BatchCompletionTriggerTests {

	private static final String QUEUE = "batch-completion-" + UUID.randomUUID().toString().substring(0, 8);

	private static final String JOB = "manifestUpdateJob";

	private static final Duration WAIT = Duration.ofSeconds(30);

	@DynamicPropertySource
	static void sqs(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.aws.sqs.endpoint", ElasticMqServer::endpoint);
		registry.add("batchyard.launcher.sqs.launch-queue", () -> "launch-" + QUEUE);
		registry.add("batchyard.jobs.manifest-update.queue", () -> QUEUE);
	}

	@Autowired
	SqsAsyncClient sqs;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@Autowired
	MeterRegistry meterRegistry;

	@AfterEach
	void cleanUp() {
		await().atMost(WAIT)
			.until(() -> instances().stream().allMatch((instance) -> !lastStatus(instance).isRunning()));
		this.repositoryUtils.removeJobExecutions();
	}

	@Test
	void launchesTheJobForAnEnvelopedNotificationAndAcknowledgesAnUnknownBatchAndItsDuplicate() {
		double launched = counter(Outcome.LAUNCHED);
		double duplicates = counter(Outcome.DUPLICATE);
		String notification = "{\"id\":777001,\"customer\":2,\"count\":1,\"completed\":1,\"errors\":0,"
				+ "\"superseded\":false,\"submitted\":\"2026-11-20T09:00:00Z\",\"finished\":\"2026-11-20T09:01:10Z\"}";
		String envelope = JsonMapper.shared()
			.writeValueAsString(Map.of("Type", "Notification", "TopicArn",
					"arn:aws:sns:us-east-1:000000000000:dlcs-batch-completion", "Message", notification));

		send(envelope);

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(instances()).singleElement()
				.satisfies((instance) -> assertThat(lastStatus(instance)).isEqualTo(BatchStatus.COMPLETED)));
		JobExecution execution = this.jobRepository.getLastJobExecution(instances().get(0));
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo("UNKNOWN BATCH");
		assertThat(execution.getJobParameters().getLong("customer")).isEqualTo(2L);
		assertThat(execution.getJobParameters().getLong("batchId")).isEqualTo(777001L);
		assertThat(execution.getJobParameters().getParameter("finished").identifying()).isFalse();
		awaitEmpty(QUEUE);
		assertThat(counter(Outcome.LAUNCHED)).isEqualTo(launched + 1);

		send(notification);

		await().atMost(WAIT).until(() -> counter(Outcome.DUPLICATE) > duplicates);
		awaitEmpty(QUEUE);
		assertThat(instances()).hasSize(1);
		assertThat(this.jobRepository.getJobExecutions(instances().get(0))).hasSize(1);
		assertThat(messageCount(QUEUE + "-dlq")).isZero();
	}

	private double counter(Outcome outcome) {
		return this.meterRegistry.get(TriggerActivity.METER)
			.tag("trigger", "batch-completion")
			.tag("outcome", outcome.tag())
			.counter()
			.count();
	}

	private List<JobInstance> instances() {
		return this.jobRepository.getJobInstances(JOB, 0, 100);
	}

	private BatchStatus lastStatus(JobInstance instance) {
		JobExecution last = this.jobRepository.getLastJobExecution(instance);
		return (last != null) ? last.getStatus() : BatchStatus.UNKNOWN;
	}

	private String url(String queue) {
		return this.sqs.getQueueUrl((request) -> request.queueName(queue)).join().queueUrl();
	}

	private void send(String body) {
		this.sqs.sendMessage((request) -> request.queueUrl(url(QUEUE)).messageBody(body)).join();
	}

	private int messageCount(String queue) {
		Map<QueueAttributeName, String> attributes = this.sqs
			.getQueueAttributes((request) -> request.queueUrl(url(queue))
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
			.join()
			.attributes();
		return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
				+ Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
	}

	private void awaitEmpty(String queue) {
		await().atMost(WAIT).until(() -> messageCount(queue) == 0);
	}

}
