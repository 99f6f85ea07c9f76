package io.batchyard.jobs.enhancement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.batchyard.jobs.partition.PartitionRequestJson;
import io.batchyard.jobs.partition.PartitionSteps;
import io.batchyard.jobs.partition.PartitionWorker;
import io.batchyard.jobs.partition.PartitionWorker.Outcome;
import io.batchyard.jobs.support.Steps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.messaging.MessageChannel;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code referenceLoadJob} in remote partitioning mode: Spring Batch Integration's
 * manager step polling the job repository, with a transport that hands every request, as
 * the JSON body SQS would carry, to two workers at the same instant (SQS delivers at
 * least once), and once more after the job (a late redelivery). Each partition runs
 * exactly once, and the end state is that of the unpartitioned load.
 */
@SpringBootTest(classes = { EnhancementTestApplication.class, ReferenceLoadPartitionedJobTests.Unpartitioned.class,
		ReferenceLoadRemotePartitionedJobTests.DuplicatingTransport.class })
@SpringBatchTest
abstract class ReferenceLoadRemotePartitionedJobTests {

	static final int GRID = 4;

	@TempDir
	static Path blobs;

	/** The only directory {@code file:} inputs may name; each test writes below it. */
	@TempDir
	static Path allowedFiles;

	Path files;

	@BeforeEach
	void filesOfThisTest() throws IOException {
		this.files = Files.createTempDirectory(allowedFiles, "test");
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("batchyard.jobs.enhancement-import.chunk-size", () -> "4");
		registry.add("batchyard.enhancements.storage.directory", () -> blobs.toString());
		registry.add("batchyard.jobs.reference-load.grid-size", () -> String.valueOf(GRID));
		registry.add("batchyard.jobs.reference-load.allowed-directories", () -> allowedFiles.toString());
		registry.add("batchyard.partitioning.mode", () -> "remote");
		registry.add("batchyard.partitioning.poll-interval", () -> "50ms");
		registry.add("batchyard.partitioning.timeout", () -> "2m");
	}

	@Autowired
	JobOperatorTestUtils jobUtils;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	Job referenceLoadJob;

	@Autowired
	@Qualifier("referenceLoadUnpartitionedJob")
	Job unpartitionedJob;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DuplicatingTransport transport;

	@Autowired
	PartitionWorker worker;

	final PartitionRequestJson json = new PartitionRequestJson(JsonMapper.builder().build());

	@BeforeEach
	@AfterEach
	void clear() {
		new EnhancementFixture(this.jdbc).clear();
		this.jdbc.update("DELETE FROM BATCHYARD_SKIPPED_ITEM");
		this.repositoryUtils.removeJobExecutions();
		this.transport.clear();
	}

	@Test
	void eachPartitionRunsOnceThoughEveryRequestIsDeliveredTwiceAtOnceAndAgainLater() throws Exception {
		ReferenceFile file = new ReferenceFile(this.files, ReferenceLoadPartitionedJobTests.LINES);
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
		assertThat(Steps.of(execution, ReferenceLoadJobConfiguration.STEP_NAME).getReadCount())
			.isEqualTo(ReferenceLoadPartitionedJobTests.LINES);
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

	String state() {
		List<String> references = this.jdbc.query(
				"SELECT id, visibility, identifiers, load_line FROM reference ORDER BY id",
				(rs, i) -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getLong(4));
		List<String> enhancements = this.jdbc.query(
				"SELECT id, reference_id, content, fingerprint FROM enhancement ORDER BY id",
				(rs, i) -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
		List<String> skips = this.jdbc.query(
				"SELECT PHASE, ITEM_POSITION, REASON FROM BATCHYARD_SKIPPED_ITEM ORDER BY ITEM_POSITION",
				(rs, i) -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
		assertThat(references).isNotEmpty();
		return String.join("\n", references) + "\n--\n" + String.join("\n", enhancements) + "\n--\n"
				+ String.join("\n", skips);
	}

	/**
	 * The transport: the manager's request, as JSON, handed to two workers at once.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class DuplicatingTransport {

		private final ObjectProvider<PartitionWorker> worker;

		private final ExecutorService workers = Executors.newCachedThreadPool();

		private final PartitionRequestJson json = new PartitionRequestJson(JsonMapper.builder().build());

		private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());

		private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());

		DuplicatingTransport(ObjectProvider<PartitionWorker> worker) {
			this.worker = worker;
		}

		@Bean(PartitionSteps.REQUESTS_CHANNEL)
		MessageChannel partitionRequests() {
			return (message, timeout) -> {
				String body = this.json.write((StepExecutionRequest) message.getPayload());
				this.bodies.add(body);
				CyclicBarrier together = new CyclicBarrier(2);
				for (int delivery = 0; delivery < 2; delivery++) {
					this.workers.submit(() -> {
						together.await();
						Outcome outcome = this.worker.getObject().handle(this.json.read(body));
						this.outcomes.add(outcome);
						return outcome;
					});
				}
				return true;
			};
		}

		List<String> bodies() {
			return List.copyOf(this.bodies);
		}

		List<Outcome> outcomes() {
			return List.copyOf(this.outcomes);
		}

		void clear() {
			this.bodies.clear();
			this.outcomes.clear();
		}

	}

}
