package io.batchyard.jobs.enhancement;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code referenceLoadJob} on the sample reference file (20 valid references, two bad
 * lines), chunks of 4.
 */
@SpringBootTest(classes = EnhancementTestApplication.class)
@SpringBatchTest
abstract class ReferenceLoadJobTests {

	static final Path SAMPLE = Path.of("..", "sample-data", "enhancements", "references.jsonl");

	@TempDir
	static Path blobs;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("batchyard.jobs.enhancement-import.chunk-size", () -> "4");
		registry.add("batchyard.enhancements.storage.directory", () -> blobs.toString());
		registry.add("batchyard.jobs.reference-load.allowed-directories", () -> SAMPLE.getParent().toString());
	}

	@Autowired
	JobOperatorTestUtils jobUtils;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@Autowired
	Job referenceLoadJob;

	@Autowired
	JdbcTemplate jdbc;

	/** The reference on line 10, in the third chunk. */
	static final String LINE_10 = "aefcfad8-efc8-4849-b3aa-7efe4458a885";

	/** Fails the insert of this reference, in the database itself. */
	abstract void injectFault(String referenceId);

	abstract void removeFault();

	@BeforeEach
	void job() {
		this.jobUtils.setJob(this.referenceLoadJob);
		new EnhancementFixture(this.jdbc).clear();
	}

	@AfterEach
	void cleanUp() {
		removeFault();
		this.jdbc.update("DELETE FROM BATCHYARD_SKIPPED_ITEM");
		this.repositoryUtils.removeJobExecutions();
		new EnhancementFixture(this.jdbc).clear();
	}

	/**
	 * Loads the sample; answers the step's read, write and skip counts and the exit code.
	 */
	String load(String version) throws Exception {
		JobExecution execution = this.jobUtils.startJob(new JobParametersBuilder().addString("input", "file:" + SAMPLE)
			.addString("version", version)
			.toJobParameters());
		var step = execution.getStepExecutions().iterator().next();
		return step.getReadCount() + " " + step.getWriteCount() + " " + step.getProcessSkipCount() + " "
				+ execution.getExitStatus().getExitCode();
	}

	@Test
	void loadsEveryValidReferenceWithItsEnhancementsAndRecordsTheBadLines() throws Exception {
		assertThat(load("1")).isEqualTo("22 20 2 COMPLETED WITH SKIPS");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM reference", Integer.class)).isEqualTo(20);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM enhancement WHERE enhancement_type = 'bibliographic'",
				Integer.class))
			.isEqualTo(20);
		List<String> skipped = this.jdbc.queryForList(
				"SELECT ITEM_POSITION || ': ' || REASON FROM BATCHYARD_SKIPPED_ITEM ORDER BY ITEM_POSITION",
				String.class);
		assertThat(skipped).hasSize(2);
		assertThat(skipped.get(0))
			.startsWith("line 13: Entry 13 could not be parsed: invalid JSON: Unexpected end-of-input");
		assertThat(skipped.get(1))
			.startsWith("line 6: Entry 6 could not be parsed: field 'identifiers[0].identifier' must match ^10");
		assertThat(this.jdbc.queryForObject(
				"SELECT identifiers FROM reference WHERE id =" + " 'bdd640fb-0667-4ad1-9c80-317fa3b1799d'",
				String.class))
			.isEqualTo(
					"[{\"identifier\":\"10.1000/journal.388389\",\"identifier_type\":\"doi\"},{\"identifier\":28217207,"
							+ "\"identifier_type\":\"pm_id\"},{\"identifier\":\"W1958682846\",\"identifier_type\":\"open_alex\"}]");

		load("2");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM reference", Integer.class)).isEqualTo(20);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM enhancement", Integer.class)).isEqualTo(20);
	}

	@Test
	void theJobRefusesFilesOutsideTheAllowedDirectoryWhateverThePathSays() {
		for (String input : new String[] { "file:/etc/passwd", "file:" + SAMPLE.getParent() + "/../../pom.xml",
				"file:" + SAMPLE.getParent() + "/../manifest-update/../../../../../../../etc/passwd" }) {
			assertThatExceptionOfType(InvalidJobParametersException.class).as(input)
				.isThrownBy(() -> this.referenceLoadJob.getJobParametersValidator()
					.validate(new JobParametersBuilder().addString("input", input).toJobParameters()))
				.withMessageContaining(
						"is not in a directory listed in batchyard.jobs.reference-load.allowed-directories");
		}
	}

	@Test
	void aDatabaseFaultMidFileFailsTheJobAndTheRestartResumesWithoutLoadingOrRecordingTwice() throws Exception {
		injectFault(LINE_10);
		JobExecution failed = this.jobUtils
			.startJob(new JobParametersBuilder().addString("input", "file:" + SAMPLE).toJobParameters());
		assertThat(failed.getStatus()).isEqualTo(org.springframework.batch.core.BatchStatus.FAILED);
		assertThat(failed.getExitStatus().getExitDescription()).startsWith("Database failure (after retries): ")
			.contains("Injected fault");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM reference", Integer.class)).isEqualTo(7);

		removeFault();
		JobExecution restarted = this.jobUtils.getJobOperator().restart(failed);
		assertThat(restarted.getStatus()).isEqualTo(org.springframework.batch.core.BatchStatus.COMPLETED);
		var step = restarted.getStepExecutions().iterator().next();
		assertThat(step.getReadCount()).isEqualTo(14);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM reference", Integer.class)).isEqualTo(20);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM enhancement", Integer.class)).isEqualTo(20);
		assertThat(this.jdbc.queryForList("SELECT ITEM_POSITION FROM BATCHYARD_SKIPPED_ITEM ORDER BY ITEM_POSITION",
				String.class))
			.containsExactly("line 13", "line 6");
		// The report is the instance's, as an uninterrupted load reports it: line 6 was
		// skipped by the failed execution, line 13 by the restart.
		long firstStep = failed.getStepExecutions().iterator().next().getId();
		assertThat(
				this.jdbc.queryForObject("SELECT ITEM_POSITION FROM BATCHYARD_SKIPPED_ITEM WHERE STEP_EXECUTION_ID = ?",
						String.class, firstStep))
			.isEqualTo("line 6");
		assertThat(restarted.getExitStatus().getExitCode()).isEqualTo("COMPLETED WITH SKIPS");
		assertThat(restarted.getExitStatus().getExitDescription()).isEqualTo(
				"2 item(s) skipped: see the skipped items of step executions " + firstStep + ", " + step.getId());
	}

}
