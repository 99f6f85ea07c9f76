package io.batchyard.launcher.enhancements;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.batchyard.launcher.launch.RestartStatus;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static io.batchyard.launcher.enhancements.EnhancementApiTests.R1;
import static io.batchyard.launcher.enhancements.EnhancementApiTests.R2;
import static io.batchyard.launcher.enhancements.EnhancementApiTests.SECRET;
import static io.batchyard.launcher.enhancements.EnhancementApiTests.localPath;
import static io.batchyard.launcher.enhancements.EnhancementApiTests.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A robot enhancement batch's status follows its import execution's fate: an import
 * failing on the database (an H2 trigger failing the last step's update of the batch's
 * status as a lost connection) leaves the batch {@code importing} while its automatic
 * restart is pending; the restart succeeding ends it {@code completed} without anyone
 * acting, and the restarts running out show it {@code failed} with the reason, on the
 * robot API and the dashboard alike.
 */
@BatchyardTest
@Import(JobRuns.class)
class RobotBatchFateTests {

	private static final String JOB = "enhancementImportJob";

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	static Path blobs;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("batchyard.robots.clients.robot-1.secret", () -> SECRET);
		registry.add("batchyard.enhancements.storage.type", () -> "local");
		registry.add("batchyard.enhancements.storage.directory", () -> blobs.toString());
		// One automatic restart, held pending (a back-off of an hour) until the test
		// makes it due.
		registry.add("batchyard.jobs.enhancementImportJob.restart.max-attempts", () -> "1");
		registry.add("batchyard.jobs.enhancementImportJob.restart.backoff", () -> "1h");
		registry.add("batchyard.automatic-restarts.poll-interval", () -> "200ms");
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobRuns jobRuns;

	@BeforeEach
	void references() {
		clear();
		for (UUID id : new UUID[] { R1, R2 }) {
			this.jdbc.update("INSERT INTO reference (id, visibility, identifiers, created_at) VALUES (?, 'public',"
					+ " NULL, ?)", id, Timestamp.from(Instant.now()));
		}
	}

	@AfterEach
	void clear() {
		fault(false);
		this.jobRuns.reset();
		this.jdbc.update("DELETE FROM BATCHYARD_NOTIFICATION");
		this.jdbc.update("DELETE FROM BATCHYARD_INSTANCE_TRIGGER");
		this.jdbc.update("DELETE FROM robot_request_nonce");
		this.jdbc.update("DELETE FROM robot_result_validation_entry");
		this.jdbc.update("DELETE FROM enhancement");
		this.jdbc.update("UPDATE pending_enhancement SET retry_of = NULL");
		this.jdbc.update("DELETE FROM pending_enhancement");
		this.jdbc.update("DELETE FROM robot_enhancement_batch");
		this.jdbc.update("DELETE FROM enhancement_request");
		this.jdbc.update("DELETE FROM reference");
	}

	@Test
	void aBatchWhoseImportIsRestartedAutomaticallyStaysImportingAndEndsCompleted() throws Exception {
		fault(true);
		UUID batch = handedIn();
		JobExecution failed = this.jobRepository.getJobExecution(awaitImport(batch, null));
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(RestartStatus.of(this.jdbc, failed.getId()).orElseThrow().state()).isEqualTo("PENDING");

		// Waiting for its automatic restart: still importing, no error.
		assertShown(batch, "importing", null);

		fault(false);
		makeDue(failed.getId());
		JobExecution restart = this.jobRepository.getJobExecution(awaitImport(batch, failed.getId()));

		assertThat(restart.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(restart.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
		assertThat(RestartStatus.of(this.jdbc, failed.getId()).orElseThrow().restartExecutionId())
			.isEqualTo(restart.getId());
		JsonNode shown = assertShown(batch, "completed", null);
		assertThat(shown.get("validation_result_url").isNull()).isFalse();
		assertThat(
				this.jdbc.queryForObject("SELECT COUNT(*) FROM enhancement WHERE batch_id = ?", Integer.class, batch))
			.isEqualTo(2);
	}

	@Test
	void aBatchWhoseAutomaticRestartsRanOutShowsFailedWithTheReason() throws Exception {
		fault(true);
		UUID batch = handedIn();
		JobExecution failed = this.jobRepository.getJobExecution(awaitImport(batch, null));
		assertThat(RestartStatus.of(this.jdbc, failed.getId()).orElseThrow().describe())
			.startsWith("automatic restart 1 of 1 at ");
		assertShown(batch, "importing", null);

		makeDue(failed.getId());
		JobExecution last = this.jobRepository.getJobExecution(awaitImport(batch, failed.getId()));

		assertThat(last.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(RestartStatus.of(this.jdbc, last.getId()).orElseThrow().describe())
			.isEqualTo("no automatic restart: all 1 automatic restarts made");
		JsonNode shown = assertShown(batch, "failed", "Import failed: Database failure (after retries): ");
		assertThat(shown.get("error").asString()).contains("Injected fault")
			.contains("job execution " + last.getId() + " failed")
			.contains("it is not restarted automatically (all 1 automatic restarts made), an operator can restart it");
		// Only shown: the row stays importing, for an operator's restart to resume.
		assertThat(this.jdbc.queryForObject("SELECT status FROM robot_enhancement_batch WHERE id = ?", String.class,
				batch))
			.isEqualTo("importing");
		assertThat(this.jobRepository.getJobExecutions(last.getJobInstance())).hasSize(2);
	}

	/** A request of R1 and R2, claimed by robot-1, its result uploaded and handed in. */
	private UUID handedIn() throws Exception {
		this.mvc
			.perform(post("/enhancement-requests/").contentType("application/json")
				.content("{\"robot_id\":\"robot-1\",\"reference_ids\":[\"" + R1 + "\",\"" + R2 + "\"]}"))
			.andExpect(status().isAccepted());
		String claimPath = "/robot-enhancement-batches/";
		String query = "robot_id=robot-1&limit=10";
		JsonNode claimed = JsonMapper.shared()
			.readTree(this.mvc
				.perform(signed(post(claimPath + "?" + query), "POST", claimPath, query, "", "robot-1", SECRET))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString());
		UUID batch = UUID.fromString(claimed.get("id").asString());
		StringBuilder result = new StringBuilder();
		for (UUID reference : new UUID[] { R1, R2 }) {
			result.append("{\"reference_id\":\"")
				.append(reference)
				.append("\",\"source\":\"robot-1\",\"visibility\":\"public\",\"content\":{\"enhancement_type\":")
				.append("\"abstract\",\"process\":\"other\",\"abstract\":\"A study.\"}}\n");
		}
		this.mvc
			.perform(put(localPath(claimed.get("result_storage_url").asString()))
				.content(result.toString().getBytes(StandardCharsets.UTF_8)))
			.andExpect(status().isOk());
		String path = "/robot-enhancement-batches/" + batch + "/results/";
		String body = "{\"request_id\":\"" + batch + "\"}";
		this.mvc.perform(signed(post(path), "POST", path, null, body, "robot-1", SECRET))
			.andExpect(status().isAccepted());
		return batch;
	}

	/**
	 * Waits for the batch's import after {@code previous} to end. (Not returning the
	 * execution: Spring Batch's test listeners would take such a method for a factory of
	 * step-scope executions.)
	 */
	private long awaitImport(UUID batch, Long previous) {
		long last = await().atMost(WAIT)
			.until(() -> lastImport(batch), (id) -> id != null && (previous == null || id > previous));
		this.jobRuns.awaitEnd(last);
		return last;
	}

	private Long lastImport(UUID batch) {
		var last = this.jobRepository.getLastJobExecution(JOB,
				new JobParametersBuilder().addString("batchId", batch.toString()).toJobParameters());
		return (last != null) ? last.getId() : null;
	}

	/** The batch as the robot API and the dashboard show it. */
	private JsonNode assertShown(UUID batch, String status, String errorStart) throws Exception {
		String path = "/robot-enhancement-batches/" + batch + "/";
		MvcResult read = this.mvc.perform(signed(get(path), "GET", path, null, "", "robot-1", SECRET))
			.andExpect(status().isOk())
			.andReturn();
		JsonNode shown = JsonMapper.shared().readTree(read.getResponse().getContentAsString());
		assertThat(shown.get("status").asString()).isEqualTo(status);
		String page = this.mvc.perform(get("/enhancements"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String row = page.substring(page.indexOf("data-batch=\"" + batch + "\""));
		row = row.substring(0, row.indexOf("</tr>"));
		assertThat(row).contains("<span class=\"status status-" + status + "\">" + status + "</span>");
		if (errorStart == null) {
			assertThat(shown.get("error").isNull()).isTrue();
		}
		else {
			assertThat(shown.get("error").asString()).startsWith(errorStart);
			assertThat(row).contains(errorStart);
		}
		return shown;
	}

	private void makeDue(long failedExecution) {
		assertThat(this.jdbc.update(
				"UPDATE BATCHYARD_AUTO_RESTART SET DUE_AT = ? WHERE FAILED_EXECUTION_ID = ?" + " AND STATE = 'PENDING'",
				Timestamp.from(Instant.now().minusSeconds(1)), failedExecution))
			.isOne();
	}

	private void fault(boolean on) {
		this.jdbc.execute("DROP TRIGGER IF EXISTS IMPORT_FAULT");
		if (on) {
			this.jdbc.execute("CREATE TRIGGER IMPORT_FAULT BEFORE UPDATE ON robot_enhancement_batch"
					+ " FOR EACH ROW CALL \"" + TransientSettleFault.class.getName() + "\"");
		}
	}

}
