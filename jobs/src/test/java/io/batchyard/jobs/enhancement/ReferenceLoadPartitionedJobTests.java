package io.batchyard.jobs.enhancement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.partition.JsonlRangePartitioner;
import io.batchyard.jobs.partition.PartitionSteps;
import io.batchyard.jobs.support.H2IdFault;
import io.batchyard.jobs.support.SkippedItemRecorder;
import io.batchyard.jobs.support.Steps;
import io.batchyard.readers.jsonl.JsonlItemReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code referenceLoadJob} in 4 local partitions, chunks of 4, against the same file
 * loaded by the unpartitioned step (a second job in this context, built from the same
 * step definition): the rows, their last lines, the enhancements and the recorded skips
 * must be the same, and a restart after a partition fails runs only that partition, from
 * its last commit.
 */
@SpringBootTest(classes = { EnhancementTestApplication.class, ReferenceLoadPartitionedJobTests.Unpartitioned.class })
@SpringBatchTest
abstract class ReferenceLoadPartitionedJobTests {

	static final int GRID = 4;

	static final int LINES = 64;

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
	DataSource dataSource;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	PartitionSteps partitionSteps;

	@Autowired
	Step loadReferenceRangeStep;

	@Autowired
	JsonlRangePartitioner referenceLoadPartitioner;

	@Autowired
	@Qualifier("referenceLoadReader")
	JsonlItemReader referenceLoadReader;

	@Autowired
	ReferenceWriter referenceLoadWriter;

	@Autowired
	EnhancementImportProperties properties;

	@Autowired
	JobDescription referenceLoadJobDescription;

	private String faultTrigger;

	/** Fails the insert of this reference, in the database itself. */
	void injectFault(String referenceId) {
		if (EnhancementImportJobConfiguration.onPostgres(this.dataSource)) {
			this.jdbc.execute("CREATE OR REPLACE FUNCTION reference_fault() RETURNS trigger LANGUAGE plpgsql AS $$"
					+ " BEGIN IF NEW.id = '" + referenceId + "' THEN"
					+ " RAISE EXCEPTION 'Injected fault: cannot insert reference %', NEW.id;"
					+ " END IF; RETURN NEW; END $$");
			this.faultTrigger = "reference_fault";
			this.jdbc.execute("CREATE TRIGGER reference_fault BEFORE INSERT ON reference FOR EACH ROW"
					+ " EXECUTE FUNCTION reference_fault()");
		}
		else {
			this.faultTrigger = "ID_FAULT_" + referenceId.replace("-", "");
			this.jdbc.execute("CREATE TRIGGER " + this.faultTrigger + " BEFORE INSERT ON reference FOR EACH ROW CALL \""
					+ H2IdFault.class.getName() + "\"");
		}
	}

	void removeFault() {
		if (this.faultTrigger == null) {
			return;
		}
		this.jdbc.execute("DROP TRIGGER IF EXISTS " + this.faultTrigger
				+ (EnhancementImportJobConfiguration.onPostgres(this.dataSource) ? " ON reference" : ""));
		this.faultTrigger = null;
	}

	@BeforeEach
	void clear() {
		new EnhancementFixture(this.jdbc).clear();
		this.jdbc.update("DELETE FROM BATCHYARD_SKIPPED_ITEM");
	}

	@AfterEach
	void cleanUp() {
		removeFault();
		clear();
		this.repositoryUtils.removeJobExecutions();
	}

	@Test
	void aPartitionedLoadLeavesExactlyTheStateOfAnUnpartitionedOne() throws Exception {
		ReferenceFile file = new ReferenceFile(this.files, LINES);
		for (int[] repeat : ReferenceFile.REPEATS) {
			if (repeat[0] != 20) {
				// the repeats that decide "the last line wins" across partitions
				assertThat(file.partitionOf(repeat[1], GRID)).isGreaterThan(file.partitionOf(repeat[0], GRID));
			}
		}
		JobExecution unpartitioned = runs().run(this.unpartitionedJob, file.input());
		StepExecution expectedCounts = unpartitioned.getStepExecutions().iterator().next();
		String expected = state();
		assertThat(expected).contains("restricted|[{\"identifier\":\"10.1000/line.40\"");
		clear();

		JobExecution partitioned = runs().run(this.referenceLoadJob, file.input());

		assertThat(partitioned.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(partitioned.getExitStatus().getExitCode()).isEqualTo(SkippedItemRecorder.COMPLETED_WITH_SKIPS);
		assertThat(state()).isEqualTo(expected);
		StepExecution manager = Steps.of(partitioned, ReferenceLoadJobConfiguration.STEP_NAME);
		assertThat(counts(manager)).isEqualTo(counts(expectedCounts));
		assertThat(counts(manager)).isEqualTo("read=64 write=51 filter=5 skip=8");
		List<StepExecution> partitions = runs().partitions(partitioned);
		assertThat(partitions).extracting(StepExecution::getStepName)
			.containsExactlyInAnyOrder("loadReferenceRangeStep:partition0", "loadReferenceRangeStep:partition1",
					"loadReferenceRangeStep:partition2", "loadReferenceRangeStep:partition3");
		assertThat(partitions).allSatisfy((partition) -> {
			assertThat(partition.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(partition.getReadCount()).isBetween(10L, 22L);
		});

		// Loading the same file again (a new instance) changes no row; its skips are its
		// own.
		runs().run(this.referenceLoadJob, file.input(), "2");
		assertThat(rows(state())).isEqualTo(rows(expected));
	}

	static String rows(String state) {
		return state.substring(0, state.indexOf("\nskips "));
	}

	@Test
	void aFailedPartitionIsTheOnlyOneTheRestartRunsAndItResumesFromItsLastCommit() throws Exception {
		ReferenceFile file = new ReferenceFile(this.files, LINES);
		runs().run(this.unpartitionedJob, file.input());
		String expected = state();
		clear();
		// Line 41: the seventh line of its partition, in its second chunk.
		int faultLine = 41;
		int failing = file.partitionOf(faultLine, GRID);
		long firstLine = file.ranges(GRID).get(failing).firstLine();
		assertThat(faultLine - firstLine).isBetween(4L, 7L);
		injectFault(file.ids.get(faultLine - 1).toString());

		JobExecution failed = runs().run(this.referenceLoadJob, file.input());

		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(failed.getExitStatus().getExitDescription()).startsWith("Database failure (after retries): ")
			.contains("Injected fault");
		assertThat(Steps.of(failed, ReferenceLoadJobConfiguration.STEP_NAME).getStatus()).isEqualTo(BatchStatus.FAILED);
		Map<String, BatchStatus> statuses = runs().partitions(failed)
			.stream()
			.collect(Collectors.toMap(StepExecution::getStepName, StepExecution::getStatus));
		String failingName = "loadReferenceRangeStep:partition" + failing;
		assertThat(statuses).hasSize(GRID).containsEntry(failingName, BatchStatus.FAILED);
		assertThat(statuses.values().stream().filter((status) -> status == BatchStatus.COMPLETED)).hasSize(GRID - 1);
		StepExecution failedPartition = runs().partitions(failed)
			.stream()
			.filter((p) -> p.getStepName().equals(failingName))
			.findFirst()
			.orElseThrow();
		assertThat(failedPartition.getCommitCount()).isEqualTo(1);
		assertThat(this.jobRepository.getStepExecution(failedPartition.getId())
			.getExecutionContext()
			.getLong("referenceLoadReader.line")).isEqualTo(firstLine + 3);

		removeFault();
		JobExecution restarted = this.jobUtils.getJobOperator().restart(failed);

		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(restarted.getJobInstanceId()).isEqualTo(failed.getJobInstanceId());
		assertThat(this.jobRepository.getJobExecutions(restarted.getJobInstance())).hasSize(2);
		List<StepExecution> rerun = runs().partitions(restarted);
		assertThat(rerun).extracting(StepExecution::getStepName).containsExactly(failingName);
		long rangeLines = file.ranges(GRID).get(failing + 1).firstLine() - firstLine;
		assertThat(rerun.get(0).getReadCount()).isEqualTo(rangeLines - 4);
		assertThat(state()).isEqualTo(expected);
	}

	@Test
	void aRestartUnderAnotherGridSizeAboveOneRunsTheFailedPartitionOfTheFirstSplit() throws Exception {
		ReferenceFile file = new ReferenceFile(this.files, LINES);
		runs().run(this.unpartitionedJob, file.input());
		String expected = state();
		clear();
		injectFault(file.ids.get(40).toString());
		JobExecution failed = runs().run(this.referenceLoadJob, file.input());
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		removeFault();

		JobExecution restarted = runs().run(atGridSize(2), file.input());

		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(restarted.getJobInstanceId()).isEqualTo(failed.getJobInstanceId());
		assertThat(runs().partitions(restarted)).extracting(StepExecution::getStepName)
			.containsExactly("loadReferenceRangeStep:partition" + file.partitionOf(41, GRID));
		assertThat(state()).isEqualTo(expected);
	}

	@Test
	void aRestartOfOneStepAsPartitionsIsRefusedNamingBothGridSizes() throws Exception {
		ReferenceFile file = new ReferenceFile(this.files, LINES);
		runs().run(this.unpartitionedJob, file.input());
		String expected = state();
		clear();
		injectFault(file.ids.get(40).toString());
		JobExecution failed = runs().run(atGridSize(1), file.input());
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		removeFault();

		JobExecution refused = runs().run(this.referenceLoadJob, file.input());

		assertThat(refused.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(refused.getJobInstanceId()).isEqualTo(failed.getJobInstanceId());
		assertThat(refused.getExitStatus().getExitDescription()).isEqualTo("Failure: Cannot restart referenceLoadJob"
				+ " instance " + failed.getJobInstanceId() + " with grid size " + GRID + ": its step"
				+ " loadReferencesStep ran with grid size 1 (execution " + failed.getId() + "), and the other shape"
				+ " of the step would read its input again or leave part of it behind. Restart it where"
				+ " batchyard.jobs.reference-load.grid-size=1, or abandon it and launch again");
		assertThat(this.jobRepository.getJobExecution(refused.getId()).getStepExecutions()).isEmpty();

		// Under the grid size it started with, it resumes and ends as one run would.
		JobExecution resumed = runs().run(atGridSize(1), file.input());
		assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(runs().partitions(resumed)).isEmpty();
		assertThat(Steps.of(resumed, ReferenceLoadJobConfiguration.STEP_NAME).getReadCount()).isEqualTo(LINES - 40);
		assertThat(state()).isEqualTo(expected);
	}

	@Test
	void aRestartOfPartitionsAsOneStepIsRefusedNamingBothGridSizes() throws Exception {
		ReferenceFile file = new ReferenceFile(this.files, LINES);
		runs().run(this.unpartitionedJob, file.input());
		String expected = state();
		clear();
		injectFault(file.ids.get(40).toString());
		JobExecution failed = runs().run(this.referenceLoadJob, file.input());
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		removeFault();

		JobExecution refused = runs().run(atGridSize(1), file.input());

		assertThat(refused.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(refused.getExitStatus().getExitDescription())
			.startsWith("Failure: Cannot restart referenceLoadJob instance " + failed.getJobInstanceId()
					+ " with grid size 1: its step loadReferencesStep ran with grid size " + GRID + " (execution "
					+ failed.getId() + ")")
			.contains("Restart it where batchyard.jobs.reference-load.grid-size=" + GRID);
		assertThat(this.jobRepository.getJobExecution(refused.getId()).getStepExecutions()).isEmpty();

		JobExecution resumed = runs().run(this.referenceLoadJob, file.input());
		assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(runs().partitions(resumed)).extracting(StepExecution::getStepName)
			.containsExactly("loadReferenceRangeStep:partition" + file.partitionOf(41, GRID));
		assertThat(state()).isEqualTo(expected);
	}

	/**
	 * {@code referenceLoadJob} as a node with this grid size builds it (not a bean: the
	 * registry holds the job of this context's grid size under the same name).
	 */
	Job atGridSize(int gridSize) {
		Step step = (gridSize == 1)
				? this.partitionSteps.unpartitioned(ReferenceLoadJobConfiguration.chunkStep(
						ReferenceLoadJobConfiguration.STEP_NAME, this.jobRepository, this.transactionManager,
						this.dataSource, this.referenceLoadReader, this.referenceLoadWriter, this.properties))
				: this.partitionSteps.partitioned(ReferenceLoadJobConfiguration.STEP_NAME, this.loadReferenceRangeStep,
						this.referenceLoadPartitioner, gridSize);
		return ReferenceLoadJobConfiguration.job(this.jobRepository, step, this.referenceLoadJobDescription,
				this.partitionSteps.gridSizeCheck(ReferenceLoadJobConfiguration.STEP_NAME, gridSize,
						ReferenceLoadJobConfiguration.GRID_SIZE_PROPERTY));
	}

	@Test
	void aLaterLineOfALoadWinsWhateverTheOrderOfTheWrites() {
		UUID id = UUID.randomUUID();
		Reference line10 = new Reference(id, "public", "[1]", List.of(), 10);
		Reference line50 = new Reference(id, "restricted", "[5]", List.of(), 50);
		ReferenceWriter load1 = new ReferenceWriter(this.jdbc, Clock.systemUTC(), 1);
		load1.write(Chunk.of(line50));
		load1.write(Chunk.of(line10));
		assertThat(row(id)).isEqualTo("restricted [5] 50");
		// A replayed chunk of the same line changes nothing.
		load1.write(Chunk.of(line50));
		assertThat(row(id)).isEqualTo("restricted [5] 50");
		// Another load replaces it, whatever its line.
		new ReferenceWriter(this.jdbc, Clock.systemUTC(), 2).write(Chunk.of(line10));
		assertThat(row(id)).isEqualTo("public [1] 10");
	}

	String row(UUID id) {
		return this.jdbc.queryForObject(
				"SELECT visibility || ' ' || identifiers || ' ' || load_line FROM reference" + " WHERE id = ?",
				String.class, id);
	}

	// Not methods answering a JobExecution or StepExecution: @SpringBatchTest would call
	// those to make the test's step and job scope.
	Runs runs() {
		return new Runs(this.jobUtils, this.jobRepository);
	}

	/**
	 * Everything a load leaves, but what differs by construction (creation times, the
	 * instance that loaded a row, the step executions of the skips).
	 */
	String state() {
		List<String> references = this.jdbc.query(
				"SELECT id, visibility, identifiers, load_line FROM reference ORDER BY id",
				(rs, i) -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getLong(4));
		List<String> enhancements = this.jdbc.query(
				"SELECT id, reference_id, enhancement_type, source, visibility, robot_version, derived_from, content,"
						+ " fingerprint FROM enhancement ORDER BY id",
				(rs, i) -> {
					StringBuilder row = new StringBuilder();
					for (int c = 1; c <= 9; c++) {
						row.append(rs.getString(c)).append('|');
					}
					return row.toString();
				});
		List<String> skips = this.jdbc.query(
				"SELECT PHASE, ITEM_POSITION, ITEM_KEY, REASON FROM BATCHYARD_SKIPPED_ITEM ORDER BY ITEM_POSITION",
				(rs, i) -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
		assertThat(references).isNotEmpty();
		return "references " + references.size() + "\n" + String.join("\n", references) + "\nenhancements "
				+ enhancements.size() + "\n" + String.join("\n", enhancements) + "\nskips " + skips.size() + "\n"
				+ String.join("\n", skips);
	}

	record Runs(JobOperatorTestUtils jobUtils, JobRepository jobRepository) {

		JobExecution run(Job job, String input) throws Exception {
			return run(job, input, "1");
		}

		JobExecution run(Job job, String input, String version) throws Exception {
			this.jobUtils.setJob(job);
			JobParameters parameters = new JobParametersBuilder().addString("input", input)
				.addString("version", version)
				.toJobParameters();
			return this.jobUtils.startJob(parameters);
		}

		List<StepExecution> partitions(JobExecution execution) {
			return this.jobRepository.getJobExecution(execution.getId())
				.getStepExecutions()
				.stream()
				.filter((step) -> step.getStepName().startsWith(ReferenceLoadJobConfiguration.RANGE_STEP_NAME + ":"))
				.toList();
		}

	}

	static String counts(StepExecution step) {
		return "read=" + step.getReadCount() + " write=" + step.getWriteCount() + " filter=" + step.getFilterCount()
				+ " skip=" + step.getProcessSkipCount();
	}

	/**
	 * The same load in one step over the whole file: the reference for "unpartitioned".
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Unpartitioned {

		@Bean
		Job referenceLoadUnpartitionedJob(JobRepository jobRepository, PlatformTransactionManager transactionManager,
				DataSource dataSource, JsonlItemReader referenceLoadReader, ReferenceWriter referenceLoadWriter,
				EnhancementImportProperties properties) {
			return new JobBuilder("referenceLoadUnpartitionedJob", jobRepository)
				.start(ReferenceLoadJobConfiguration.chunkStep(ReferenceLoadJobConfiguration.STEP_NAME, jobRepository,
						transactionManager, dataSource, referenceLoadReader, referenceLoadWriter, properties))
				.build();
		}

	}

}
