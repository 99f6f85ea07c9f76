package io.batchyard.launcher.trigger.sqs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.batchyard.jobs.launch.QueueTrigger;
import io.batchyard.launcher.catalogue.JobCatalogue;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.trigger.sqs.TriggerActivity.Outcome;
import io.batchyard.test.ElasticMqServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.awaitility.Awaitility.await;

/**
 * The whole application against a real ElasticMQ: the launch queue, and a second trigger
 * (proving every {@link QueueTrigger} bean is subscribed) that takes the bad messages, so
 * the launch queue's dead-letter queue stays empty for the other tests.
 */
@BatchyardTest
@TestPropertySource(properties = { "batchyard.launcher.sqs.enabled=true", "batchyard.launcher.sqs.create-queues=true",
		"batchyard.launcher.sqs.max-receive-count=2", "batchyard.launcher.sqs.visibility-timeout=2s",
		"batchyard.launcher.sqs.poll-timeout=1s", "batchyard.queue-depths.cache-for=0s",
		"batchyard.queue-depths.timeout=5s" })
class SqsLaunchTriggerTests {

	private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	private static final String LAUNCH_QUEUE = "launch-" + RUN;

	private static final String OTHER_QUEUE = "other-" + RUN;

	private static final String JOB = "repositoryPurgeJob";

	private static final Duration WAIT = Duration.ofSeconds(30);

	@DynamicPropertySource
	static void sqs(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.aws.sqs.endpoint", ElasticMqServer::endpoint);
		registry.add("batchyard.launcher.sqs.launch-queue", () -> LAUNCH_QUEUE);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class OtherTrigger {

		@Bean
		QueueTrigger otherQueueTrigger() {
			return new QueueTrigger("other", OTHER_QUEUE, new JsonLaunchMessageMapper(JsonMapper.shared()));
		}

	}

	@Autowired
	MockMvc mvc;

	@Autowired
	SqsAsyncClient sqs;

	@Autowired
	JobCatalogue catalogue;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@Autowired
	TriggerActivity activity;

	@Autowired
	MeterRegistry meterRegistry;

	@AfterEach
	void cleanUp() {
		await().atMost(WAIT)
			.until(() -> instances().stream().allMatch((instance) -> !lastStatus(instance).isRunning()));
		this.repositoryUtils.removeJobExecutions();
	}

	@Test
	void launchesTheJobOnceAndDeletesTheMessage() {
		double launched = counter("launch", Outcome.LAUNCHED);

		send(LAUNCH_QUEUE, launchBody("2026-11-23T00:00:00Z"));

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(instances()).singleElement()
				.satisfies((instance) -> assertThat(lastStatus(instance)).isEqualTo(BatchStatus.COMPLETED)));
		JobInstance instance = instances().get(0);
		assertThat(this.jobRepository.getJobExecutions(instance)).hasSize(1);
		assertThat(this.jobRepository.getJobExecutions(instance).get(0).getJobParameters().getString("asOf"))
			.isEqualTo("2026-11-23T00:00:00Z");
		awaitEmpty(LAUNCH_QUEUE);
		assertThat(messageCount(LAUNCH_QUEUE + "-dlq")).isZero();
		assertThat(counter("launch", Outcome.LAUNCHED)).isEqualTo(launched + 1);
	}

	@Test
	void deletesADuplicateWithoutASecondInstance() {
		double launched = counter("launch", Outcome.LAUNCHED);
		double duplicates = counter("launch", Outcome.DUPLICATE);
		String body = launchBody("2026-11-23T00:00:00Z");

		send(LAUNCH_QUEUE, body);
		await().atMost(WAIT)
			.until(() -> instances().size() == 1 && lastStatus(instances().get(0)) == BatchStatus.COMPLETED);
		awaitEmpty(LAUNCH_QUEUE);
		assertThat(counter("launch", Outcome.LAUNCHED)).isEqualTo(launched + 1);
		send(LAUNCH_QUEUE, body);

		await().atMost(WAIT).until(() -> counter("launch", Outcome.DUPLICATE) > duplicates);
		awaitEmpty(LAUNCH_QUEUE);
		assertThat(counter("launch", Outcome.DUPLICATE)).isEqualTo(duplicates + 1);
		assertThat(instances()).hasSize(1);
		assertThat(this.jobRepository.getJobExecutions(instances().get(0))).hasSize(1);
		assertThat(messageCount(LAUNCH_QUEUE + "-dlq")).isZero();
		assertThat(counter("launch", Outcome.LAUNCHED)).isEqualTo(launched + 1);
	}

	@Test
	void movesBadMessagesToTheDeadLetterQueueAndKeepsListening() throws Exception {
		double rejected = counter("other", Outcome.REJECTED);
		double launched = counter("other", Outcome.LAUNCHED);

		String unparseable = send(OTHER_QUEUE, "{\"job\": ");
		String unknownJob = send(OTHER_QUEUE, "{\"job\": \"noSuchJob\", \"parameters\": {}}");

		await().atMost(WAIT).until(() -> messageCount(OTHER_QUEUE + "-dlq") == 2);
		// The triggers page reads the dead-letter queue the redrive policy names.
		String page = this.mvc.perform(get("/triggers"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String row = page.substring(page.indexOf("<code>" + OTHER_QUEUE + "</code>"));
		row = row.substring(0, row.indexOf("</tr>"));
		String deadLetterDepth = row.substring(row.lastIndexOf("<td>") + 4, row.lastIndexOf("</td>"));
		assertThat(deadLetterDepth).isEqualTo("2");
		List<Message> dead = receiveAll(OTHER_QUEUE + "-dlq");
		assertThat(dead).extracting(Message::messageId).containsExactlyInAnyOrder(unparseable, unknownJob);
		// maxReceiveCount 2: each bad message was received, and refused, twice.
		assertThat(counter("other", Outcome.REJECTED)).isEqualTo(rejected + 4);
		assertThat(this.activity.lastError("other")).hasValueSatisfying((error) -> {
			assertThat(error.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(error.messageId()).isIn(unparseable, unknownJob);
			assertThat(error.reason()).satisfiesAnyOf((reason) -> assertThat(reason).startsWith("Body is not JSON: "),
					(reason) -> assertThat(reason).startsWith("UNKNOWN_JOB: No job named 'noSuchJob'"));
		});

		send(OTHER_QUEUE, launchBody("2026-11-22T00:00:00Z"));

		await().atMost(WAIT)
			.until(() -> instances().size() == 1 && lastStatus(instances().get(0)) == BatchStatus.COMPLETED);
		awaitEmpty(OTHER_QUEUE);
		assertThat(counter("other", Outcome.LAUNCHED)).isEqualTo(launched + 1);
		assertThat(messageCount(LAUNCH_QUEUE + "-dlq")).isZero();
	}

	@Test
	void rejectsParametersOutsideTheAllowListOrLimitsToTheDeadLetterQueue(@TempDir Path directory) {
		double rejected = counter("other", Outcome.REJECTED);
		Path target = directory.resolve("truncated");

		String stream = send(OTHER_QUEUE, "{\"job\": \"" + JOB + "\", \"parameters\": {\"asOf\": "
				+ "\"2026-11-23T00:00:00Z\", \"x\": \"" + target + ",java.io.FileOutputStream,false\"}}");
		String oversized = send(OTHER_QUEUE, "{\"job\": \"" + JOB + "\", \"parameters\": {\"asOf\": "
				+ "\"2026-11-23T00:00:00Z\", \"note\": \"" + "n".repeat(2501) + "\"}}");

		// The dead-letter queue may still hold (in flight) what another test moved there.
		Set<String> dead = new HashSet<>();
		await().atMost(WAIT).untilAsserted(() -> {
			receiveAll(OTHER_QUEUE + "-dlq").forEach((message) -> dead.add(message.messageId()));
			assertThat(dead).contains(stream, oversized);
		});
		// Each refused on both of its receives, never counted as a failure to retry.
		assertThat(counter("other", Outcome.REJECTED)).isEqualTo(rejected + 4);
		assertThat(this.activity.lastError("other"))
			.hasValueSatisfying((error) -> assertThat(error.reason()).satisfiesAnyOf(
					(reason) -> assertThat(reason).startsWith(
							"INVALID_PARAMETERS: Parameter 'x': type 'java.io.FileOutputStream' is not allowed"),
					(reason) -> assertThat(reason).isEqualTo("INVALID_PARAMETERS: Parameter 'note': value of 2501 "
							+ "characters is longer than the limit of 2500")));
		assertThat(target).doesNotExist();
		assertThat(instances()).isEmpty();
	}

	@Test
	void refusesAMessageWithoutARequiredParameterWithTheDeclarationsMessage() {
		String expected = this.catalogue.description("enhancementImportJob")
			.map((description) -> description.missing(description.parameter("batchId").orElseThrow()))
			.orElseThrow();
		String message = send(OTHER_QUEUE, "{\"job\": \"enhancementImportJob\", \"parameters\": {}}");

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.activity.lastError("other")).hasValueSatisfying((error) -> {
				assertThat(error.messageId()).isEqualTo(message);
				assertThat(error.reason()).isEqualTo("INVALID_PARAMETERS: " + expected);
			}));
		// A queue message is not a launch by hand: the purge gets no asOf of "now" and
		// is refused naming it, instead of a new instance on every redelivery.
		String purge = send(OTHER_QUEUE, "{\"job\": \"" + JOB + "\", \"parameters\": {}}");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.activity.lastError("other")).hasValueSatisfying((error) -> {
				assertThat(error.messageId()).isEqualTo(purge);
				assertThat(error.reason()).startsWith("INVALID_PARAMETERS: " + JOB
						+ " needs the identifying parameter 'asOf' (String, an ISO-8601 instant)");
			}));
		// Both end in the dead-letter queue (refused on each receive), so no redelivery
		// reaches the next test's counters.
		Set<String> dead = new HashSet<>();
		await().atMost(WAIT).untilAsserted(() -> {
			receiveAll(OTHER_QUEUE + "-dlq").forEach((received) -> dead.add(received.messageId()));
			assertThat(dead).contains(message, purge);
		});
		assertThat(instances()).isEmpty();
	}

	@Test
	void registersEveryCounterOfEveryTriggerAtZero() {
		for (String trigger : List.of("launch", "other")) {
			for (Outcome outcome : Outcome.values()) {
				assertThat(this.meterRegistry.find(TriggerActivity.METER)
					.tag("trigger", trigger)
					.tag("outcome", outcome.tag())
					.counter()).as(trigger + " " + outcome).isNotNull();
			}
		}
	}

	private double counter(String trigger, Outcome outcome) {
		return this.meterRegistry.get(TriggerActivity.METER)
			.tag("trigger", trigger)
			.tag("outcome", outcome.tag())
			.counter()
			.count();
	}

	private static String launchBody(String asOf) {
		return "{\"job\": \"" + JOB + "\", \"parameters\": {\"asOf\": \"" + asOf + "\"}}";
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

	private String send(String queue, String body) {
		return this.sqs.sendMessage((request) -> request.queueUrl(url(queue)).messageBody(body)).join().messageId();
	}

	/** Visible plus in flight: zero means the message was deleted, not just received. */
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

	private List<Message> receiveAll(String queue) {
		return this.sqs
			.receiveMessage((request) -> request.queueUrl(url(queue)).maxNumberOfMessages(10).waitTimeSeconds(1))
			.join()
			.messages();
	}

}
