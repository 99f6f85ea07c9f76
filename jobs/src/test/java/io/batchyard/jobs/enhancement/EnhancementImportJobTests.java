package io.batchyard.jobs.enhancement;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.batchyard.jobs.support.Steps;
import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.jsonl.JsonlLine;
import io.batchyard.test.S3ProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.batchyard.jobs.enhancement.EnhancementFixture.annotation;
import static io.batchyard.jobs.enhancement.EnhancementFixture.robotError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code enhancementImportJob} end to end on one database (the subclasses), the robot's
 * result file in a real S3-protocol server (S3Proxy), chunks of 3 so the lines span
 * several commits, a maximum line length of 2 KiB.
 */
@SpringBootTest(classes = EnhancementTestApplication.class)
@SpringBatchTest
@ExtendWith(OutputCaptureExtension.class)
abstract class EnhancementImportJobTests {

	static final String BUCKET = "enhancements-" + UUID.randomUUID().toString().substring(0, 8);

	static final UUID R1 = UUID.fromString("10000000-0000-0000-0000-000000000001");

	static final UUID R2 = UUID.fromString("10000000-0000-0000-0000-000000000002");

	static final UUID R3 = UUID.fromString("10000000-0000-0000-0000-000000000003");

	static final UUID R4 = UUID.fromString("10000000-0000-0000-0000-000000000004");

	static final UUID R5 = UUID.fromString("10000000-0000-0000-0000-000000000005");

	static final UUID R9 = UUID.fromString("10000000-0000-0000-0000-000000000009");

	static final UUID REQUEST = UUID.fromString("20000000-0000-0000-0000-000000000001");

	static final UUID BATCH = UUID.fromString("30000000-0000-0000-0000-000000000001");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("batchyard.jobs.enhancement-import.chunk-size", () -> "3");
		registry.add("batchyard.jobs.enhancement-import.max-line-length", () -> "2KB");
		registry.add("batchyard.jobs.enhancement-import.back-off", () -> "10ms");
		S3ProxyServer.registerStorage(registry, "batchyard.enhancements.storage", BUCKET);
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
	JdbcTemplate jdbc;

	@Autowired
	BlobStore enhancementBlobStore;

	EnhancementFixture fixture;

	@BeforeAll
	static void bucket() {
		try (var s3 = S3ProxyServer.newClient()) {
			if (s3.listBuckets().buckets().stream().noneMatch((bucket) -> bucket.name().equals(BUCKET))) {
				S3ProxyServer.createBucket(BUCKET);
			}
		}
	}

	@BeforeEach
	void seed() {
		this.jobUtils.setJob(this.enhancementImportJob);
		this.fixture = new EnhancementFixture(this.jdbc);
		this.fixture.clear();
		this.fixture.references(List.of(R1, R2, R3, R4, R5, R9));
	}

	@AfterEach
	void cleanUp() {
		removeFault();
		this.repositoryUtils.removeJobExecutions();
		this.fixture.clear();
	}

	/**
	 * Fails the insert of the validation entry with this number, in the database itself.
	 */
	abstract void injectFault(long entryNumber);

	abstract void removeFault();

	/** Every rule, and every kind of bad input, in one file. */
	static byte[] resultFile() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		line(out, "\uFEFF" + annotation(R1, "a"), "\n");
		line(out, "", "\n");
		line(out, robotError(R2, "Could not fetch the full text"), "\r\n");
		line(out, "{\"reference_id\": ", "\n");
		line(out, annotation(R2, "x").replace("\"annotation\",", "\"summary\","), "\n");
		line(out, annotation(R9, "a"), "\n");
		line(out, annotation(R1, "b"), "\r\n");
		line(out, annotation(R3, "c"), "\n");
		line(out, annotation(R4, "d").replace(R4.toString(), "not-a-uuid"), "\n");
		out.writeBytes(new byte[] { '{', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n' });
		line(out, "x".repeat(3000), "\n");
		line(out, annotation(R4, "e").replace("\"label\":\"e\",", ""), "\n");
		line(out, annotation(R5, "f").substring(0, 70), "");
		return out.toByteArray();
	}

	static final List<String> REPORT = List.of("{\"reference_id\":\"" + R1 + "\"}",
			"{\"reference_id\":\"" + R2 + "\",\"error\":\"Could not fetch the full text\"}",
			"{\"error\":\"Entry 4 could not be parsed: invalid JSON: Unexpected end-of-input within/between Object entries.\"}",
			"{\"error\":\"Entry 5 could not be parsed: field 'content.enhancement_type' must be one of abstract,"
					+ " annotation, bibliographic, full_text, linked_data, location, raw, reference_association,"
					+ " not \\\"summary\\\".\"}",
			"{\"reference_id\":\"" + R9 + "\",\"error\":\"Reference not in batch enhancement request.\"}",
			"{\"reference_id\":\"" + R1 + "\",\"error\":\"Duplicate reference ID in enhancement result.\"}",
			"{\"reference_id\":\"" + R3 + "\",\"error\":\"Exact duplicate enhancement already exists on reference.\"}",
			"{\"error\":\"Entry 9 could not be parsed: field 'reference_id' must be a UUID, not \\\"not-a-uuid\\\".\"}",
			"{\"error\":\"Entry 10 could not be parsed: the line is not valid UTF-8.\"}",
			"{\"error\":\"Entry 11 could not be parsed: the line is 3000 bytes long, more than the maximum of 2048.\"}",
			"{\"error\":\"Entry 12 could not be parsed: field 'content.annotations[0].label' is required.\"}",
			"{\"error\":\"Entry 13 could not be parsed: invalid JSON: Unexpected end-of-input: was expecting closing quote for a string value.\"}",
			"{\"reference_id\":\"" + R4 + "\",\"error\":\"Requested reference not in enhancement result.\"}",
			"{\"reference_id\":\"" + R5 + "\",\"error\":\"Requested reference not in enhancement result.\"}");

	private static void line(ByteArrayOutputStream out, String text, String terminator) {
		out.writeBytes((text + terminator).getBytes(StandardCharsets.UTF_8));
	}

	void prepare(byte[] result) {
		this.fixture.importingBatch(REQUEST, BATCH, List.of(R1, R2, R3, R4, R5));
		this.enhancementBlobStore.write(BlobKeys.robotResult(BATCH), result);
		existingEnhancement(annotation(R3, "c"));
	}

	void existingEnhancement(String line) {
		Enhancement enhancement = ((ResultEntry.Added) new EnhancementLineParser(
				EnhancementImportJobConfiguration.resultMapper(), 2048)
			.parse(new JsonlLine(1, 0, line.length(), line, null))).enhancement();
		this.jdbc.update(
				"INSERT INTO enhancement (id, reference_id, enhancement_type, source, visibility,"
						+ " robot_version, derived_from, content, fingerprint, batch_id, created_at)"
						+ " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
				enhancement.id(), enhancement.referenceId(), enhancement.enhancementType(), enhancement.source(),
				enhancement.visibility(), enhancement.robotVersion(), enhancement.derivedFrom(), enhancement.content(),
				enhancement.fingerprint(), Timestamp.from(Instant.now()));
	}

	JobParameters parameters() {
		return new JobParametersBuilder().addString(EnhancementImportJobConfiguration.BATCH_ID, BATCH.toString())
			.toJobParameters();
	}

	List<String> report() {
		String key = this.jdbc.queryForObject("SELECT validation_result_key FROM robot_enhancement_batch WHERE id = ?",
				String.class, BATCH);
		assertThat(key).isEqualTo("enhancement_result/" + BATCH + "_repo.jsonl");
		return List.of(new String(this.enhancementBlobStore.read(key), StandardCharsets.UTF_8).split("\n"));
	}

	Map<String, Object> outcome() {
		Map<String, Object> outcome = new LinkedHashMap<>();
		outcome.put("report", report());
		outcome.put("enhancements", this.jdbc
			.queryForList("SELECT id, reference_id, enhancement_type, content, batch_id FROM enhancement ORDER BY id"));
		outcome.put("entries", this.jdbc.queryForList("SELECT entry_number, reference_id, outcome, error FROM"
				+ " robot_result_validation_entry ORDER BY entry_number"));
		outcome.put("pending", this.jdbc.queryForList(
				"SELECT reference_id, status, result_entry, reason FROM pending_enhancement ORDER BY reference_id"));
		outcome.put("batch", this.jdbc.queryForMap("SELECT status, error FROM robot_enhancement_batch"));
		outcome.put("request",
				this.jdbc.queryForObject("SELECT request_status FROM enhancement_request", String.class));
		return outcome;
	}

	@Test
	void everyLineGetsTheEntryOfTheFirstRuleItBreaksAndTheBatchPartiallyFails() throws Exception {
		prepare(resultFile());
		JobExecution execution = this.jobUtils.startJob(parameters());

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(report()).containsExactlyElementsOf(REPORT);
		StepExecution importStep = Steps.of(execution, "importEnhancementsStep");
		assertThat(importStep.getReadCount()).isEqualTo(13);
		assertThat(importStep.getFilterCount()).isEqualTo(1);
		assertThat(importStep.getWriteCount()).isEqualTo(12);
		assertReadThrough(execution, 13, 5);
		assertThat(Steps.of(execution, "reportMissingReferencesStep").getWriteCount()).isEqualTo(2);

		assertThat(this.jdbc
			.queryForList("SELECT reference_id, batch_id, content FROM enhancement ORDER BY" + " reference_id"))
			.extracting((row) -> row.get("reference_id") + " " + row.get("batch_id"))
			.containsExactly(R1 + " " + BATCH, R3 + " null");
		assertThat(this.jdbc.queryForObject("SELECT content FROM enhancement WHERE reference_id = ?", String.class, R1))
			.isEqualTo("{\"annotations\":[{\"annotation_type\":\"boolean\",\"data\":{},\"label\":\"a\","
					+ "\"scheme\":\"inclusion:destiny\",\"score\":0.93,\"value\":true}],"
					+ "\"enhancement_type\":\"annotation\"}");
		assertThat(this.jdbc.queryForList(
				"SELECT reference_id, status, result_entry, reason FROM pending_enhancement ORDER BY reference_id"))
			.extracting((row) -> row.get("reference_id") + " " + row.get("status") + " " + row.get("result_entry") + " "
					+ row.get("reason"))
			.containsExactly(R1 + " completed 1 null", R2 + " failed 3 Could not fetch the full text",
					R3 + " discarded 8 Exact duplicate enhancement already exists on reference.",
					R4 + " failed null Requested reference not in enhancement result.",
					R5 + " failed null Requested reference not in enhancement result.");
		assertThat(this.jdbc.queryForObject("SELECT status FROM robot_enhancement_batch", String.class))
			.isEqualTo("partial_failed");
		assertThat(this.jdbc.queryForObject("SELECT request_status FROM enhancement_request", String.class))
			.isEqualTo("partial_failed");
	}

	/**
	 * The import step read the file through this line, in this many commits: its own
	 * execution context and counts (the partitioned subclasses check their partitions').
	 */
	void assertReadThrough(JobExecution execution, long line, int commits) {
		StepExecution importStep = Steps.of(execution, "importEnhancementsStep");
		assertThat(importStep.getCommitCount()).isEqualTo(commits);
		assertThat(importStep.getExecutionContext().getLong("enhancementImportResultReader.line")).isEqualTo(line);
	}

	Long importExecutionId() {
		return this.jdbc.queryForObject("SELECT import_execution_id FROM robot_enhancement_batch WHERE id = ?",
				Long.class, BATCH);
	}

	@Test
	void theBatchRecordsItsImportExecutionAndTheLogSaysEnhancementAddedPerEntryAtDebugAndPerBatchAtInfo(
			CapturedOutput output) throws Exception {
		prepare(resultFile());
		assertThat(importExecutionId()).isNull();
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		// Whichever writes the entries: the chunk writer, or, partitioned, the
		// partitions'
		// writer and the step that resolves the lines they staged.
		List<String> writers = List.of(EnhancementResultWriter.class.getName(),
				EnhancementCandidateWriter.class.getName(), ResolveEnhancementEntriesTasklet.class.getName());
		writers.forEach((writer) -> logging.setLogLevel(writer, LogLevel.DEBUG));
		JobExecution execution;
		try {
			execution = this.jobUtils.startJob(parameters());
		}
		finally {
			writers.forEach((writer) -> logging.setLogLevel(writer, null));
		}

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(importExecutionId()).isEqualTo(execution.getId());
		assertThat(output).contains(
				"enhancementImportJob execution " + execution.getId() + " imports robot enhancement batch " + BATCH);
		assertThat(output).contains("Batch " + BATCH + ", entry 1, reference " + R1 + ": Enhancement added.")
			.contains("Batch " + BATCH + ", entry 3, reference " + R2 + ": Could not fetch the full text")
			.contains("Batch " + BATCH + ", entry 10: Entry 10 could not be parsed: the line is not valid UTF-8.");
		assertThat(output.toString()
			.lines()
			.filter((line) -> line.contains(", entry ") && line.contains(": Enhancement added."))).singleElement()
			.asString()
			.contains("DEBUG");
		assertThat(output).contains("Batch " + BATCH + ": Enhancement added. (1 of 14 entries); other entries:"
				+ " 7 parse_failure, 1 not_in_batch, 1 duplicate, 1 robot_error, 1 discarded, 2 missing");

		// A launch for a batch that is no longer importing fails in its reader and leaves
		// the batch pointing at the execution that imported it.
		JobExecution stray = this.jobUtils
			.startJob(new JobParametersBuilder(parameters()).addLong("attempt", 2L).toJobParameters());
		assertThat(stray.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(importExecutionId()).isEqualTo(execution.getId());
		assertThat(output).contains("enhancementImportJob execution " + stray.getId() + ": robot enhancement batch "
				+ BATCH + " is not importing (or does not exist); its import execution is left as it was");
	}

	@Test
	void anEmptyFileReportsEveryRequestedReferenceAndFailsTheBatch() throws Exception {
		prepare(new byte[0]);
		JobExecution execution = this.jobUtils.startJob(parameters());

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(report()).containsExactly(List.of(R1, R2, R3, R4, R5)
			.stream()
			.map((id) -> "{\"reference_id\":\"" + id
					+ "\",\"error\":\"Requested reference not in enhancement result.\"}")
			.toArray(String[]::new));
		assertThat(this.jdbc.queryForObject("SELECT status FROM robot_enhancement_batch", String.class))
			.isEqualTo("failed");
		assertThat(this.jdbc.queryForObject("SELECT request_status FROM enhancement_request", String.class))
			.isEqualTo("failed");
		assertThat(
				this.jdbc.queryForObject("SELECT COUNT(*) FROM enhancement WHERE batch_id IS NOT NULL", Integer.class))
			.isZero();
	}

	@Test
	void everyReferenceEnhancedCompletesBatchAndRequest() throws Exception {
		this.fixture.importingBatch(REQUEST, BATCH, List.of(R1, R2));
		this.enhancementBlobStore.write(BlobKeys.robotResult(BATCH),
				(annotation(R2, "x") + "\n" + annotation(R1, "y") + "\n").getBytes(StandardCharsets.UTF_8));
		JobExecution execution = this.jobUtils.startJob(parameters());

		assertThat(execution.getExitStatus().getExitCode()).isEqualTo(ExitStatus.COMPLETED.getExitCode());
		assertThat(report()).containsExactly("{\"reference_id\":\"" + R2 + "\"}", "{\"reference_id\":\"" + R1 + "\"}");
		assertThat(this.jdbc.queryForObject("SELECT status FROM robot_enhancement_batch", String.class))
			.isEqualTo("completed");
		assertThat(this.jdbc.queryForObject("SELECT request_status FROM enhancement_request", String.class))
			.isEqualTo("completed");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM enhancement", Integer.class)).isEqualTo(2);
	}

	@Test
	void aDatabaseFaultMidFileFailsTheJobNamingTheDatabaseAndTheRestartEndsAsAnUninterruptedRun() throws Exception {
		prepare(resultFile());
		assertThat(this.jobUtils.startJob(parameters()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
		Map<String, Object> uninterrupted = outcome();
		this.repositoryUtils.removeJobExecutions();
		this.fixture.clear();
		this.fixture.references(List.of(R1, R2, R3, R4, R5, R9));
		prepare(resultFile());
		this.enhancementBlobStore.delete(BlobKeys.validationResult(BATCH));

		injectFault(7);
		JobExecution failed = this.jobUtils.startJob(parameters());
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(failed.getExitStatus().getExitDescription()).startsWith("Database failure (after retries): ")
			.contains("Injected fault");
		assertThat(this.jdbc.queryForObject("SELECT status FROM robot_enhancement_batch", String.class))
			.isEqualTo("importing");
		assertThat(importExecutionId()).isEqualTo(failed.getId());
		assertFailedAtEntry7(failed);

		removeFault();
		JobExecution restarted = this.jobUtils.getJobOperator().restart(failed);
		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(importExecutionId()).isEqualTo(restarted.getId());
		assertThat(this.jobRepository.getJobInstances("enhancementImportJob", 0, 10)).hasSize(1);
		assertThat(this.jobRepository.getJobExecutions(restarted.getJobInstance())).hasSize(2);
		assertResumedAfterEntry7(failed, restarted);
		assertThat(outcome()).isEqualTo(uninterrupted);
	}

	/**
	 * What the run that failed at entry 7 left: the entries of the committed chunks, and
	 * the reader's position after them.
	 */
	void assertFailedAtEntry7(JobExecution failed) {
		assertThat(this.jdbc.queryForList(
				"SELECT entry_number FROM robot_result_validation_entry ORDER BY" + " entry_number", Long.class))
			.containsExactly(1L, 3L, 4L, 5L, 6L);
		assertThat(Steps.of(failed, "importEnhancementsStep")
			.getExecutionContext()
			.getLong("enhancementImportResultReader.line")).isEqualTo(6);
	}

	/** The restart read only the lines after the last commit. */
	void assertResumedAfterEntry7(JobExecution failed, JobExecution restarted) {
		assertThat(Steps.of(restarted, "importEnhancementsStep").getReadCount()).isEqualTo(7);
	}

}
