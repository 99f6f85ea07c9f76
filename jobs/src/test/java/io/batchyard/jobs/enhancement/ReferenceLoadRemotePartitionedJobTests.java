package io.batchyard.jobs.enhancement;

import java.time.Duration;
import java.time.LocalDateTime;

import io.batchyard.jobs.partition.DuplicatingTransport;
import io.batchyard.jobs.partition.PartitionRequestJson;
import io.batchyard.jobs.partition.PartitionWorker;
import io.batchyard.jobs.partition.PartitionWorker.Outcome;
import io.batchyard.jobs.support.Steps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code referenceLoadJob} in remote partitioning mode: Spring Batch Integration's
 * manager step polling the job repository, with a transport that hands every request, as
 * the JSON body SQS would carry, to two workers at the same instant (SQS delivers at
 * least once), and once more after the job (a late redelivery). Each partition runs
 * exactly once, and the end state is that of the unpartitioned load. The tests of
 * {@link ReferenceLoadPartitionedJobTests} run here too: a partition failing on a worker
 * still gives the job the exit description of its cause.
 */
@SpringBootTest(classes = { EnhancementTestApplication.class, ReferenceLoadPartitionedJobTests.Unpartitioned.class,
		DuplicatingTransport.class })
@SpringBatchTest
abstract class ReferenceLoadRemotePartitionedJobTests extends ReferenceLoadPartitionedJobTests {

	@DynamicPropertySource
	static void remote(DynamicPropertyRegistry registry) {
		registry.add("batchyard.partitioning.mode", () -> "remote");
		registry.add("batchyard.partitioning.poll-interval", () -> "50ms");
		registry.add("batchyard.partitioning.timeout", () -> "2m");
	}

	@Autowired
	DuplicatingTransport transport;

	@Autowired
	PartitionWorker worker;

	final PartitionRequestJson json = new PartitionRequestJson(JsonMapper.builder().build());

	@BeforeEach
	@AfterEach
	void clearTransport() {
		this.transport.clear();
	}

	@Test
	void eachPartitionRunsOnceThoughEveryRequestIsDeliveredTwiceAtOnceAndAgainLater() throws Exception {
		ReferenceFile file = new ReferenceFile(this.files, LINES);
		this.jobUtils.setJob(this.unpartitionedJob);
		this.jobUtils.startJob(parameters(file));
		String expected = state();
		clear();

		this.jobUtils.setJob(this.referenceLoadJob);
		JobExecution execution = this.jobUtils.startJob(parameters(file));

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.transport.bodies()).hasSize(GRID);
		// The last outcome is recorded as its worker returns, after the manager saw the
		// partition end.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.transport.outcomes()).hasSize(2 * GRID));
		assertThat(this.transport.outcomes().stream().filter((o) -> o == Outcome.RAN)).hasSize(GRID);
		assertThat(this.transport.outcomes().stream().filter((o) -> o == Outcome.DUPLICATE)).hasSize(GRID);
		assertThat(Steps.of(execution, ReferenceLoadJobConfiguration.STEP_NAME).getReadCount()).isEqualTo(LINES);
		assertThat(state()).isEqualTo(expected);

		// A redelivery after the partitions completed runs nothing.
		for (String body : this.transport.bodies()) {
			assertThat(this.worker.handle(this.json.read(body))).isEqualTo(Outcome.DUPLICATE);
		}
		assertThat(state()).isEqualTo(expected);
	}

	@Test
	void aRequestThatNamesNoPartitionOfItsStepIsRefusedAndAMissingOneIsGone() throws Exception {
		JobExecution job = newJobExecution();
		StepExecution partition = this.jobRepository.createStepExecution("loadReferenceRangeStep:partition0", job);
		StepExecution other = this.jobRepository.createStepExecution("loadReferencesStep", job);

		assertThat(this.worker.handle(new StepExecutionRequest("repositoryPurgeStep", partition.getId())))
			.isEqualTo(Outcome.REFUSED);
		assertThat(this.worker.handle(new StepExecutionRequest("loadReferenceRangeStep", other.getId())))
			.isEqualTo(Outcome.REFUSED);
		assertThat(this.worker.handle(new StepExecutionRequest("loadReferenceRangeStep", 987_654_321L)))
			.isEqualTo(Outcome.GONE);
		assertThat(this.jobRepository.getStepExecution(partition.getId()).getStatus()).isEqualTo(BatchStatus.STARTING);
	}

	@Test
	void aPartitionOfAnEndedJobExecutionIsClosedAsFailedInsteadOfRun() throws Exception {
		JobExecution job = newJobExecution();
		StepExecution partition = this.jobRepository.createStepExecution("loadReferenceRangeStep:partition0", job);
		job.setStatus(BatchStatus.FAILED);
		job.setEndTime(LocalDateTime.now());
		this.jobRepository.update(job);

		assertThat(this.worker.handle(new StepExecutionRequest("loadReferenceRangeStep", partition.getId())))
			.isEqualTo(Outcome.GONE);

		StepExecution closed = this.jobRepository.getStepExecution(partition.getId());
		assertThat(closed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(closed.getReadCount()).isZero();
		assertThat(closed.getExitStatus().getExitDescription())
			.isEqualTo("job execution " + job.getId() + " is FAILED; the partition was not run");
	}

	JobExecution newJobExecution() throws Exception {
		JobParameters parameters = new JobParametersBuilder().addString("input", "file:/nowhere.jsonl")
			.addLong("run", System.nanoTime())
			.toJobParameters();
		JobInstance instance = this.jobRepository.createJobInstance("referenceLoadJob", parameters);
		JobExecution job = this.jobRepository.createJobExecution(instance, parameters,
				new org.springframework.batch.infrastructure.item.ExecutionContext());
		job.setStatus(BatchStatus.STARTED);
		job.setStartTime(LocalDateTime.now());
		this.jobRepository.update(job);
		return job;
	}

	static JobParameters parameters(ReferenceFile file) {
		return new JobParametersBuilder().addString("input", file.input()).toJobParameters();
	}

}
