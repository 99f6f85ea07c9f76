package io.batchyard.jobs.enhancement;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.partition.GridSizeCheck;
import io.batchyard.jobs.partition.JsonlRangePartitioner;
import io.batchyard.jobs.partition.PartitionSteps;
import io.batchyard.jobs.support.Steps;
import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.jsonl.JsonlItemReader;
import io.batchyard.readers.jsonl.JsonlLine;
import io.batchyard.readers.jsonl.JsonlRange;
import io.batchyard.readers.jsonl.JsonlSplitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
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

import static io.batchyard.jobs.enhancement.EnhancementFixture.annotation;
import static io.batchyard.jobs.enhancement.EnhancementFixture.robotError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One generated result file with every outcome, and references named again across
 * partition boundaries, imported in one step, in 2 local partitions, in 4 partitions run
 * one after the other from the last to the first (so every later line is written before
 * the line that first named its reference), and by {@code enhancementImportJob} itself in
 * 4 concurrent local partitions: the report's bytes, the entries, enhancements, outcomes
 * and statuses are the same.
 */
@SpringBootTest(classes = { EnhancementTestApplication.class, EnhancementImportGridSizesTests.Grids.class })
@SpringBatchTest
abstract class EnhancementImportGridSizesTests {

	static final UUID REQUEST = UUID.fromString("20000000-0000-0000-0000-000000000002");

	static final UUID BATCH = UUID.fromString("30000000-0000-0000-0000-000000000002");

	/**
	 * Requested: 0-39 named in the file, 40-43 never (missing), 44 only on the last line.
	 */
	static final int REQUESTED = 45;

	static final int LINES = 161;

	@TempDir
	static Path blobs;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("batchyard.jobs.enhancement-import.chunk-size", () -> "3");
		registry.add("batchyard.enhancements.storage.directory", () -> blobs.toString());
		PartitionedImport.gridSize(registry);
	}

	@Autowired
	JobOperatorTestUtils jobUtils;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	Job enhancementImportJob;

	@Autowired
	@Qualifier("enhancementImportGrid1Job")
	Job grid1;

	@Autowired
	@Qualifier("enhancementImportGrid2Job")
	Job grid2;

	@Autowired
	@Qualifier("enhancementImportReversedJob")
	Job reversed;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	BlobStore enhancementBlobStore;

	@BeforeEach
	@AfterEach
	void clear() {
		new EnhancementFixture(this.jdbc).clear();
		this.repositoryUtils.removeJobExecutions();
	}

	static UUID requested(int i) {
		return UUID.fromString(String.format("40000000-0000-0000-0000-%012d", i));
	}

	static UUID unrequested(int i) {
		return UUID.fromString(String.format("50000000-0000-0000-0000-%012d", i));
	}

	/**
	 * Line 1 cannot be parsed; then lines 2-81 name references 0-39 in pairs (2-3, 4-5,
	 * ...), lines 82-121 name 20-39 again and lines 122-161 name 0-19 again; some lines
	 * are robot errors, blank, not in the batch, or broken; the last line names reference
	 * 44.
	 */
	static byte[] resultFile() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (int i = 1; i <= LINES; i++) {
			String line;
			int pair = (i - 2) / 2;
			int reference = (i < 82) ? pair : (pair + 20) % 40;
			if (i == 1 || i % 13 == 0) {
				line = "{\"reference_id\": [" + i;
			}
			else if (i == LINES) {
				line = annotation(requested(44), "l0");
			}
			else if (i % 17 == 0) {
				line = "";
			}
			else if (i % 11 == 0) {
				line = annotation(unrequested(i), "l0");
			}
			else if (i % 5 == 0) {
				line = robotError(requested(reference), "No full text for line " + i);
			}
			else {
				line = annotation(requested(reference), "l" + (i % 3));
			}
			out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
		}
		return out.toByteArray();
	}

	void prepare(byte[] file) {
		EnhancementFixture fixture = new EnhancementFixture(this.jdbc);
		List<UUID> references = new ArrayList<>();
		for (int i = 0; i < REQUESTED; i++) {
			references.add(requested(i));
		}
		for (int i = 1; i <= LINES; i++) {
			references.add(unrequested(i));
		}
		fixture.references(references);
		fixture.importingBatch(REQUEST, BATCH, references.subList(0, REQUESTED));
		this.enhancementBlobStore.write(BlobKeys.robotResult(BATCH), file);
		// Every sixth reference already has the enhancements the file could add: its
		// first line, if an enhancement, is discarded.
		for (int i = 0; i < 40; i += 6) {
			for (int label = 0; label < 3; label++) {
				existing(annotation(requested(i), "l" + label));
			}
		}
	}

	void existing(String line) {
		Enhancement e = ((ResultEntry.Added) new EnhancementLineParser(EnhancementImportJobConfiguration.resultMapper(),
				1 << 20)
			.parse(new JsonlLine(1, 0, line.length(), line, null))).enhancement();
		this.jdbc.update(
				"INSERT INTO enhancement (id, reference_id, enhancement_type, source, visibility,"
						+ " robot_version, derived_from, content, fingerprint, batch_id, created_at)"
						+ " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
				e.id(), e.referenceId(), e.enhancementType(), e.source(), e.visibility(), e.robotVersion(),
				e.derivedFrom(), e.content(), e.fingerprint(), Timestamp.from(Instant.now()));
	}

	// Not a method answering a JobExecution: @SpringBatchTest would call it to make the
	// test's job scope.
	Run run(Job job) throws Exception {
		this.jobUtils.setJob(job);
		JobExecution execution = this.jobUtils
			.startJob(new JobParametersBuilder().addString(EnhancementImportJobConfiguration.BATCH_ID, BATCH.toString())
				.toJobParameters());
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		return new Run(execution);
	}

	record Run(JobExecution execution) {

	}

	/** Everything an import leaves, but creation times. */
	Map<String, Object> state() {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("report",
				new String(this.enhancementBlobStore.read(BlobKeys.validationResult(BATCH)), StandardCharsets.UTF_8));
		state.put("enhancements", this.jdbc.queryForList("SELECT id, reference_id, enhancement_type, source,"
				+ " visibility, robot_version, derived_from, content, fingerprint, batch_id FROM enhancement ORDER BY id"));
		state.put("entries", this.jdbc.queryForList("SELECT entry_number, reference_id, outcome, error FROM"
				+ " robot_result_validation_entry ORDER BY entry_number"));
		state.put("pending", this.jdbc.queryForList(
				"SELECT reference_id, status, result_entry, reason FROM pending_enhancement ORDER BY reference_id"));
		state.put("batch",
				this.jdbc.queryForMap("SELECT status, error, validation_result_key FROM robot_enhancement_batch"));
		state.put("request", this.jdbc.queryForObject("SELECT request_status FROM enhancement_request", String.class));
		state.put("candidates", this.jdbc.queryForObject("SELECT COUNT(*) FROM robot_result_candidate", Integer.class));
		return state;
	}

	@Test
	void everyGridSizeAndEveryOrderOfThePartitionsLeavesTheSameReportAndRows() throws Exception {
		byte[] file = resultFile();
		List<JsonlRange> ranges = JsonlSplitter.split(new ByteArrayInputStream(file), PartitionedImport.GRID);
		// The file crosses the boundaries as meant: a pair of lines naming one reference
		// split between two partitions (a partition starting at an odd line), and
		// reference
		// 0, named on lines 2 and 3 in the first partition, named again on line 123 in
		// the
		// last (which the reversed run writes first).
		assertThat(ranges.subList(1, ranges.size())).anySatisfy((range) -> assertThat(range.firstLine() % 2).isOne());
		assertThat(ranges.get(1).firstLine()).isGreaterThan(3);
		assertThat(ranges.get(3).firstLine()).isLessThanOrEqualTo(123);
		assertThat(new String(file, StandardCharsets.UTF_8).lines().skip(122).findFirst())
			.hasValueSatisfying((line) -> assertThat(line).contains(requested(0).toString()));

		prepare(file);
		run(this.grid1);
		Map<String, Object> expected = state();
		assertThat(this.jdbc.queryForList("SELECT DISTINCT outcome FROM robot_result_validation_entry", String.class))
			.containsExactlyInAnyOrder("parse_failure", "not_in_batch", "duplicate", "robot_error", "added",
					"discarded", "missing");
		assertThat(((String) expected.get("report")).lines()).hasSize(LINES - (LINES / 17) + 4);

		clear();
		prepare(file);
		JobExecution two = run(this.grid2).execution();
		assertThat(PartitionedImport.partitions(this.jobRepository, two)).hasSize(2);
		assertThat(state()).isEqualTo(expected);

		clear();
		prepare(file);
		JobExecution lastFirst = run(this.reversed).execution();
		List<StepExecution> partitions = new ArrayList<>(PartitionedImport.partitions(this.jobRepository, lastFirst));
		partitions.sort(Comparator.comparing(StepExecution::getStepName));
		assertThat(partitions).hasSize(4);
		for (int i = 1; i < partitions.size(); i++) {
			assertThat(partitions.get(i).getEndTime()).isBeforeOrEqualTo(partitions.get(i - 1).getStartTime());
		}
		assertThat(state()).isEqualTo(expected);

		clear();
		prepare(file);
		JobExecution concurrent = run(this.enhancementImportJob).execution();
		assertThat(PartitionedImport.partitions(this.jobRepository, concurrent)).hasSize(4);
		assertThat(Steps.of(concurrent, EnhancementImportJobConfiguration.STEP_NAME).getReadCount()).isEqualTo(LINES);
		assertThat(state()).isEqualTo(expected);
	}

	/** Fails the insert of the validation entry with this number, in the database. */
	abstract void injectEntryFault(long entryNumber);

	abstract void removeEntryFault();

	@AfterEach
	void noFault() {
		removeEntryFault();
	}

	@Test
	void aFaultWhileResolvingRollsTheResolutionBackAndTheRestartResolvesWithoutReadingAgain() throws Exception {
		byte[] file = resultFile();
		prepare(file);
		run(this.grid1);
		Map<String, Object> expected = state();
		clear();
		prepare(file);
		// Line 123 repeats reference 0: a staged line, whose entry only the resolving
		// step
		// writes.
		injectEntryFault(123);
		this.jobUtils.setJob(this.enhancementImportJob);
		JobExecution failed = this.jobUtils
			.startJob(new JobParametersBuilder().addString(EnhancementImportJobConfiguration.BATCH_ID, BATCH.toString())
				.toJobParameters());

		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(failed.getExitStatus().getExitDescription()).startsWith("Database failure (after retries): ")
			.contains("Injected fault");
		assertThat(PartitionedImport.partitions(this.jobRepository, failed)).hasSize(4)
			.allSatisfy((p) -> assertThat(p.getStatus()).isEqualTo(BatchStatus.COMPLETED));
		assertThat(Steps.of(failed, EnhancementImportJobConfiguration.RESOLVE_STEP_NAME).getStatus())
			.isEqualTo(BatchStatus.FAILED);
		// Rolled back whole: every staged line still staged, none of its entries or
		// enhancements written.
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM robot_result_candidate", Integer.class))
			.isEqualTo(126);
		assertThat(this.jdbc.queryForList("SELECT DISTINCT outcome FROM robot_result_validation_entry", String.class))
			.containsExactlyInAnyOrder("parse_failure", "not_in_batch");
		assertThat(
				this.jdbc.queryForObject("SELECT COUNT(*) FROM enhancement WHERE batch_id IS NOT NULL", Integer.class))
			.isZero();

		removeEntryFault();
		// A node importing in one step would skip the completed import step and never
		// resolve the staged lines: it refuses the restart.
		this.jobUtils.setJob(atGridSizeOne());
		JobExecution refused = this.jobUtils
			.startJob(new JobParametersBuilder().addString(EnhancementImportJobConfiguration.BATCH_ID, BATCH.toString())
				.toJobParameters());
		assertThat(refused.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(refused.getJobInstanceId()).isEqualTo(failed.getJobInstanceId());
		assertThat(refused.getExitStatus().getExitDescription())
			.startsWith("Failure: Cannot restart enhancementImportJob instance " + failed.getJobInstanceId()
					+ " with grid size 1: its step importEnhancementsStep ran with grid size " + PartitionedImport.GRID
					+ " (execution " + failed.getId() + ")")
			.contains("Restart it where batchyard.jobs.enhancement-import.grid-size=" + PartitionedImport.GRID);
		assertThat(this.jobRepository.getJobExecution(refused.getId()).getStepExecutions()).isEmpty();
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM robot_result_candidate", Integer.class))
			.isEqualTo(126);
		JobExecution restarted = this.jobUtils.getJobOperator().restart(refused);

		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(PartitionedImport.partitions(this.jobRepository, restarted)).isEmpty();
		assertThat(Steps.of(restarted, EnhancementImportJobConfiguration.RESOLVE_STEP_NAME).getWriteCount())
			.isEqualTo(126);
		assertThat(state()).isEqualTo(expected);
	}

	@Autowired
	PartitionSteps partitionSteps;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	DataSource dataSource;

	@Autowired
	@Qualifier("enhancementImportResultReader")
	JsonlItemReader enhancementImportResultReader;

	@Autowired
	EnhancementResultProcessor enhancementImportResultProcessor;

	@Autowired
	EnhancementResultWriter enhancementImportResultWriter;

	@Autowired
	EnhancementImportProperties properties;

	@Autowired
	Step reportMissingReferencesStep;

	@Autowired
	Step writeValidationReportStep;

	@Autowired
	JobDescription enhancementImportJobDescription;

	/**
	 * {@code enhancementImportJob} as a node importing in one step builds it (not a bean:
	 * the registry holds this context's job under the same name).
	 */
	Job atGridSizeOne() {
		Step importStep = this.partitionSteps
			.unpartitioned(EnhancementImportJobConfiguration.chunkStep(EnhancementImportJobConfiguration.STEP_NAME,
					this.jobRepository, this.transactionManager, this.enhancementImportResultReader,
					this.enhancementImportResultProcessor, this.enhancementImportResultWriter, this.properties));
		return EnhancementImportJobConfiguration.job(EnhancementImportJobConfiguration.JOB_NAME, this.jobRepository,
				this.dataSource, importStep, null, this.reportMissingReferencesStep, this.writeValidationReportStep,
				this.enhancementImportJobDescription, Grids.check(this.partitionSteps, 1));
	}

	/**
	 * The import in one step, in 2 local partitions, and in 4 partitions run one at a
	 * time from the last to the first, from the job's own step definitions.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Grids {

		@Bean
		Job enhancementImportGrid1Job(JobRepository jobRepository, PlatformTransactionManager transactionManager,
				DataSource dataSource, JsonlItemReader enhancementImportResultReader,
				EnhancementResultProcessor enhancementImportResultProcessor,
				EnhancementResultWriter enhancementImportResultWriter, EnhancementImportProperties properties,
				Step reportMissingReferencesStep, Step writeValidationReportStep,
				JobDescription enhancementImportJobDescription, PartitionSteps partitionSteps) {
			Step importStep = EnhancementImportJobConfiguration.chunkStep(EnhancementImportJobConfiguration.STEP_NAME,
					jobRepository, transactionManager, enhancementImportResultReader, enhancementImportResultProcessor,
					enhancementImportResultWriter, properties);
			return EnhancementImportJobConfiguration.job("enhancementImportGrid1Job", jobRepository, dataSource,
					importStep, null, reportMissingReferencesStep, writeValidationReportStep,
					enhancementImportJobDescription, check(partitionSteps, 1));
		}

		@Bean
		Job enhancementImportGrid2Job(JobRepository jobRepository, DataSource dataSource, PartitionSteps partitionSteps,
				Step importEnhancementRangeStep, JsonlRangePartitioner enhancementImportPartitioner,
				Step resolveEnhancementEntriesStep, Step reportMissingReferencesStep, Step writeValidationReportStep,
				JobDescription enhancementImportJobDescription) {
			Step importStep = partitionSteps.partitioned(EnhancementImportJobConfiguration.STEP_NAME,
					importEnhancementRangeStep, enhancementImportPartitioner, 2);
			return EnhancementImportJobConfiguration.job("enhancementImportGrid2Job", jobRepository, dataSource,
					importStep, resolveEnhancementEntriesStep, reportMissingReferencesStep, writeValidationReportStep,
					enhancementImportJobDescription, check(partitionSteps, 2));
		}

		@Bean
		Job enhancementImportReversedJob(JobRepository jobRepository, DataSource dataSource,
				PartitionSteps partitionSteps, Step importEnhancementRangeStep,
				JsonlRangePartitioner enhancementImportPartitioner, Step resolveEnhancementEntriesStep,
				Step reportMissingReferencesStep, Step writeValidationReportStep,
				JobDescription enhancementImportJobDescription) {
			PartitionHandler lastFirst = (splitter, manager) -> {
				List<StepExecution> partitions = new ArrayList<>(splitter.split(manager, PartitionedImport.GRID));
				partitions.sort(Comparator.comparing(StepExecution::getStepName).reversed());
				for (StepExecution partition : partitions) {
					importEnhancementRangeStep.execute(partition);
				}
				return partitions;
			};
			Step importStep = new StepBuilder(EnhancementImportJobConfiguration.STEP_NAME, jobRepository)
				.partitioner(EnhancementImportJobConfiguration.RANGE_STEP_NAME, enhancementImportPartitioner)
				.partitionHandler(lastFirst)
				.build();
			return EnhancementImportJobConfiguration.job("enhancementImportReversedJob", jobRepository, dataSource,
					importStep, resolveEnhancementEntriesStep, reportMissingReferencesStep, writeValidationReportStep,
					enhancementImportJobDescription, check(partitionSteps, PartitionedImport.GRID));
		}

		static GridSizeCheck check(PartitionSteps partitionSteps, int gridSize) {
			return partitionSteps.gridSizeCheck(EnhancementImportJobConfiguration.STEP_NAME, gridSize,
					EnhancementImportJobConfiguration.GRID_SIZE_PROPERTY);
		}

	}

}
