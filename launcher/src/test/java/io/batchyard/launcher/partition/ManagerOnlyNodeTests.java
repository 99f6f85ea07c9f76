package io.batchyard.launcher.partition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

import io.batchyard.jobs.partition.PartitionRequestJson;
import io.batchyard.jobs.partition.PartitionWorker;
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
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A manager-only node ({@code batchyard.runner.worker=false}) in remote mode: it sends
 * its partition requests and takes none itself. With no worker the manager gives up after
 * {@code batchyard.partitioning.timeout}; a worker that takes the requests later closes
 * the partitions of the failed execution instead of running them, so that it can be
 * restarted.
 */
@BatchyardTest
@Import(JobRuns.class)
class ManagerOnlyNodeTests {

	private static final String QUEUE = "partitions-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.aws.sqs.endpoint", ElasticMqServer::endpoint);
		registry.add("batchyard.launcher.sqs.create-queues", () -> "true");
		registry.add("batchyard.partitioning.mode", () -> "remote");
		registry.add("batchyard.partitioning.queue", () -> QUEUE);
		registry.add("batchyard.partitioning.poll-interval", () -> "100ms");
		registry.add("batchyard.partitioning.timeout", () -> "2s");
		registry.add("batchyard.runner.worker", () -> "false");
		registry.add("batchyard.jobs.reference-load.grid-size", () -> "3");
		registry.add("batchyard.jobs.reference-load.allowed-directories",
				() -> Path.of("..", "sample-data", "enhancements").toAbsolutePath().normalize().toString());
	}

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
	SqsAsyncClient sqs;

	@Autowired
	IntegrationFlowContext flows;

	@Autowired
	PartitionWorker worker;

	@Autowired
	PartitionRequestJson json;

	@AfterEach
	void cleanUp() {
		this.runs.reset();
	}

	@Test
	void sendsTheRequestsRunsNoneAndGivesUpAfterTheTimeout() throws Exception {
		assertThat(this.flows.getRegistrationById("partitionRequests.worker")).isNull();
		Path sample = Path.of("..", "sample-data", "enhancements", "references.jsonl").toAbsolutePath().normalize();
		long id = this.jobOperator
			.start(this.referenceLoadJob,
					new JobParametersBuilder().addString("input", "file:" + sample).toJobParameters())
			.getId();
		this.runs.awaitEnd(id);

		JobExecution execution = this.jobRepository.getJobExecution(id);
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(execution.getExitStatus().getExitDescription())
			.isEqualTo("Failure: Timed out waiting for task to return non-null result");
		List<StepExecution> partitions = execution.getStepExecutions()
			.stream()
			.filter((step) -> step.getStepName().startsWith("loadReferenceRangeStep:partition"))
			.toList();
		assertThat(partitions).hasSize(3)
			.allSatisfy((partition) -> assertThat(partition.getStatus()).isEqualTo(BatchStatus.STARTING));

		List<String> bodies = new ArrayList<>();
		String url = this.sqs.getQueueUrl((request) -> request.queueName(QUEUE)).join().queueUrl();
		while (bodies.size() < 3) {
			for (Message message : this.sqs
				.receiveMessage((request) -> request.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
				.join()
				.messages()) {
				bodies.add(message.body());
				this.sqs.deleteMessage((request) -> request.queueUrl(url).receiptHandle(message.receiptHandle()))
					.join();
			}
		}
		assertThat(bodies).containsExactlyInAnyOrderElementsOf(partitions.stream()
			.map((partition) -> "{\"stepName\":\"loadReferenceRangeStep\",\"stepExecutionId\":" + partition.getId()
					+ "}")
			.toList());

		// A worker that arrives late: the execution has ended, so it closes the
		// partitions rather than running them, and a restart may follow.
		for (String body : bodies) {
			assertThat(this.worker.handle(this.json.read(body))).isEqualTo(PartitionWorker.Outcome.GONE);
		}
		for (StepExecution partition : partitions) {
			StepExecution closed = this.jobRepository.getStepExecution(partition.getId());
			assertThat(closed.getStatus()).isEqualTo(BatchStatus.FAILED);
			assertThat(closed.getReadCount()).isZero();
		}
	}

}
