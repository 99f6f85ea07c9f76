package io.batchyard.launcher.partition;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import io.batchyard.test.ElasticMqServer;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Remote partitioning over ElasticMQ in one node that is manager and worker: the
 * partitions of {@code referenceLoadJob} go through the partition queue as JSON requests,
 * the listener runs them, the manager learns their end from the job repository; what is
 * not a request the node may run goes to the dead-letter queue, a duplicate is deleted.
 */
@BatchyardTest
@Import(JobRuns.class)
class RemotePartitioningTests {

	private static final String QUEUE = "partitions-" + UUID.randomUUID().toString().substring(0, 8);

	private static final Path SAMPLE = Path.of("..", "sample-data", "enhancements", "references.jsonl")
		.toAbsolutePath()
		.normalize();

	private static final Duration WAIT = Duration.ofSeconds(60);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.aws.sqs.endpoint", ElasticMqServer::endpoint);
		registry.add("batchyard.launcher.sqs.create-queues", () -> "true");
		registry.add("batchyard.launcher.sqs.max-receive-count", () -> "2");
		registry.add("batchyard.launcher.sqs.poll-timeout", () -> "1s");
		registry.add("batchyard.partitioning.mode", () -> "remote");
		registry.add("batchyard.queue-depths.timeout", () -> "5s");
		registry.add("batchyard.partitioning.queue", () -> QUEUE);
		registry.add("batchyard.partitioning.poll-interval", () -> "100ms");
		registry.add("batchyard.partitioning.visibility-timeout", () -> "2s");
		registry.add("batchyard.jobs.reference-load.grid-size", () -> "4");
		registry.add("batchyard.jobs.reference-load.allowed-directories", () -> SAMPLE.getParent().toString());
		registry.add("batchyard.jobs.enhancement-import.chunk-size", () -> "4");
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JobOperator jobOperator;

	@Autowired
	@Qualifier("referenceLoadJob")
	Job referenceLoadJob;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobRuns runs;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	SqsAsyncClient sqs;

	@Autowired
	MeterRegistry meterRegistry;

	@AfterEach
	void cleanUp() {
		this.runs.reset();
		this.jdbc.update("DELETE FROM BATCHYARD_SKIPPED_ITEM");
		this.jdbc.update("DELETE FROM enhancement");
		this.jdbc.update("DELETE FROM reference");
	}

	@Test
	void thePartitionsGoThroughTheQueueAndLeaveTheStateOfOneStep() throws Exception {
		double ran = requests("ran");

		JobExecution execution = this.jobRepository.getJobExecution(load("1"));

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED WITH SKIPS");
		assertThat(requests("ran")).isEqualTo(ran + 4);
		List<StepExecution> partitions = partitions(execution);
		assertThat(partitions).hasSize(4).allSatisfy((partition) -> {
			assertThat(partition.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(partition.getReadCount()).isPositive();
		});
		assertThat(partitions.stream().mapToLong(StepExecution::getReadCount).sum()).isEqualTo(22);
		// As ReferenceLoadJobTests for the whole file in one step.
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM reference", Integer.class)).isEqualTo(20);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM enhancement WHERE enhancement_type = 'bibliographic'",
				Integer.class))
			.isEqualTo(20);
		assertThat(this.jdbc.queryForList(
				"SELECT ITEM_POSITION FROM BATCHYARD_SKIPPED_ITEM WHERE JOB_EXECUTION_ID = ? ORDER BY ITEM_POSITION",
				String.class, execution.getId()))
			.containsExactly("line 13", "line 6");
		assertThat(this.jdbc.queryForObject(
				"SELECT identifiers FROM reference WHERE id = 'bdd640fb-0667-4ad1-9c80-317fa3b1799d'", String.class))
			.startsWith("[{\"identifier\":\"10.1000/journal.388389\"");
		await().atMost(WAIT).until(() -> messageCount(QUEUE) == 0);
		assertThat(messageCount(QUEUE + "-dlq")).isZero();
	}

	@Test
	void aDuplicateIsDeletedWithoutRunningAndWhatIsNoRequestOfThisNodeGoesToTheDeadLetterQueue() throws Exception {
		JobExecution execution = this.jobRepository.getJobExecution(load("2"));
		StepExecution done = partitions(execution).get(0);
		double duplicates = requests("duplicate");
		double refused = requests("refused");
		double invalid = requests("invalid");

		send("{\"stepName\":\"loadReferenceRangeStep\",\"stepExecutionId\":" + done.getId() + "}");
		await().atMost(WAIT).until(() -> requests("duplicate") == duplicates + 1);
		await().atMost(WAIT).until(() -> messageCount(QUEUE) == 0);
		StepExecution after = this.jobRepository.getStepExecution(done.getId());
		assertThat(after.getReadCount()).isEqualTo(done.getReadCount());
		assertThat(after.getVersion()).isEqualTo(done.getVersion());

		String notJson = send("run partition 1 please");
		String otherStep = send("{\"stepName\":\"repositoryPurgeStep\",\"stepExecutionId\":" + done.getId() + "}");
		await().atMost(WAIT).until(() -> messageCount(QUEUE + "-dlq") == 2);
		// The home page shows the partition queue's dead letters among what needs
		// attention.
		String home = this.mvc.perform(get("/"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(home).contains(">" + QUEUE + "-dlq</a>")
			.contains("2 message(s)")
			.contains("refused by the partition workers (queue " + QUEUE + ")");
		assertThat(receiveAll(QUEUE + "-dlq")).extracting(Message::messageId)
			.containsExactlyInAnyOrder(notJson, otherStep);
		// max-receive-count 2: each was received, and refused, twice.
		assertThat(requests("invalid")).isEqualTo(invalid + 2);
		assertThat(requests("refused")).isEqualTo(refused + 2);
	}

	// Answers the id, not the execution: @SpringBatchTest calls the test's methods that
	// answer a JobExecution.
	long load(String version) throws Exception {
		JobExecution started = this.jobOperator.start(this.referenceLoadJob,
				new JobParametersBuilder().addString("input", "file:" + SAMPLE)
					.addString("version", version)
					.toJobParameters());
		this.runs.awaitEnd(started.getId());
		return started.getId();
	}

	List<StepExecution> partitions(JobExecution execution) {
		return execution.getStepExecutions()
			.stream()
			.filter((step) -> step.getStepName().startsWith("loadReferenceRangeStep:partition"))
			.toList();
	}

	double requests(String outcome) {
		Counter counter = this.meterRegistry.find(PartitionRequestHandler.METER).tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	String send(String body) {
		return this.sqs.sendMessage((request) -> request.queueUrl(url(QUEUE)).messageBody(body)).join().messageId();
	}

	int messageCount(String queue) {
		Map<QueueAttributeName, String> attributes = this.sqs
			.getQueueAttributes((request) -> request.queueUrl(url(queue))
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
			.join()
			.attributes();
		return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
				+ Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
	}

	/** Receives and deletes what the queue holds. */
	List<Message> receiveAll(String queue) {
		List<Message> messages = this.sqs
			.receiveMessage((request) -> request.queueUrl(url(queue)).maxNumberOfMessages(10).waitTimeSeconds(1))
			.join()
			.messages();
		for (Message message : messages) {
			this.sqs.deleteMessage((request) -> request.queueUrl(url(queue)).receiptHandle(message.receiptHandle()))
				.join();
		}
		return messages;
	}

	String url(String queue) {
		return this.sqs.getQueueUrl((request) -> request.queueName(queue)).join().queueUrl();
	}

}
