package io.batchyard.launcher.dashboard.home;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import io.batchyard.test.RepositoryFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The home page lists what needs attention, and only that.
 */
@BatchyardTest
@Import(JobRuns.class)
@TestPropertySource(properties = { "batchyard.runner.heartbeat-interval=1h", "batchyard.runner.heartbeat-timeout=1h" })
class HomePageTests {

	private static final String PURGE = "repositoryPurgeJob";

	@Autowired
	MockMvc mvc;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JobRuns jobRuns;

	private RepositoryFixture fixture;

	@BeforeEach
	void setUp() {
		this.fixture = new RepositoryFixture(this.jobRepository);
	}

	@AfterEach
	void cleanUp() {
		this.jdbc.update("DELETE FROM BATCHYARD_AUTO_RESTART");
		this.jdbc.update("DELETE FROM BATCHYARD_NODE_EXECUTION");
		this.jdbc.update("DELETE FROM BATCHYARD_NODE WHERE NODE_ID LIKE 'test-%'");
		this.jobRuns.reset();
	}

	@Test
	void saysWhenNothingNeedsAttention() throws Exception {
		this.fixture.execution(this.fixture.instance(PURGE, "fine"), BatchStatus.COMPLETED,
				LocalDateTime.now().minusHours(1));
		String page = page();
		assertThat(page).contains("Nothing needs attention")
			.contains("No execution is running.")
			.contains("No failure in the last 24 hours is waiting.")
			.contains("No automatic restart is pending.")
			.contains("Every node heart-beat in the last 3600 s or shut down cleanly.");
	}

	@Test
	void listsRunningExecutionsRecentFailuresNotCompletedSincePendingRestartsAndSilentNodes() throws Exception {
		LocalDateTime now = LocalDateTime.now();
		// Failed an hour ago, nothing since: listed.
		long waiting = this.fixture
			.execution(this.fixture.instance(PURGE, "waiting"), BatchStatus.FAILED, now.minusHours(1))
			.getId();
		// Failed, then completed on restart: settled.
		JobInstance restarted = this.fixture.instance(PURGE, "restarted");
		long settled = this.fixture.execution(restarted, BatchStatus.FAILED, now.minusHours(3)).getId();
		long completedRestart = this.fixture.execution(restarted, BatchStatus.COMPLETED, now.minusHours(2)).getId();
		// Failed twice: only the later failure is listed.
		JobInstance twice = this.fixture.instance(PURGE, "twice");
		long firstFailure = this.fixture.execution(twice, BatchStatus.FAILED, now.minusHours(5)).getId();
		long secondFailure = this.fixture.execution(twice, BatchStatus.FAILED, now.minusHours(4)).getId();
		// Failed two days ago: out of the window.
		long old = this.fixture.execution(this.fixture.instance(PURGE, "old"), BatchStatus.FAILED, now.minusDays(2))
			.getId();
		// Running on a live node, and on a node that went silent.
		long running = this.fixture.execution(this.fixture.instance(PURGE, "running"), BatchStatus.STARTED, null)
			.getId();
		long orphaned = this.fixture.execution(this.fixture.instance(PURGE, "orphaned"), BatchStatus.STARTED, null)
			.getId();
		this.jdbc.update("UPDATE BATCH_STEP_EXECUTION SET READ_COUNT = 120, WRITE_COUNT = 110, READ_SKIP_COUNT = 2"
				+ " WHERE JOB_EXECUTION_ID = ?", running);
		Instant nowInstant = Instant.now();
		node("test-alive", nowInstant.minusSeconds(60), null);
		node("test-silent", nowInstant.minus(2, ChronoUnit.HOURS), null);
		node("test-stopped", nowInstant.minus(2, ChronoUnit.HOURS), nowInstant.minus(2, ChronoUnit.HOURS));
		claim(running, "test-alive");
		claim(orphaned, "test-silent");
		// A restart due in ten minutes, and one an operator cancelled.
		restart(waiting, "PENDING", nowInstant.plus(10, ChronoUnit.MINUTES));
		restart(old, "CANCELLED", null);

		String page = page();
		assertThat(page).doesNotContain("Nothing needs attention");

		String runningSection = section(page, "running");
		assertThat(runningSection).contains("(2)")
			.contains("href=\"/executions/" + running + "\">" + PURGE + " #" + running + "</a>")
			.contains("120 read, 110 written, 2 skipped")
			.contains("in step1")
			.contains("node test-silent stopped heart-beating: recover it");
		assertThat(entry(runningSection, running)).doesNotContain("stopped heart-beating");

		String failedSection = section(page, "failed");
		assertThat(failedSection).contains("(2)")
			.contains("/executions/" + waiting + "\"")
			.contains("/executions/" + secondFailure + "\"")
			.doesNotContain("/executions/" + firstFailure + "\"")
			.doesNotContain("/executions/" + settled + "\"")
			.doesNotContain("/executions/" + completedRestart + "\"")
			.doesNotContain("/executions/" + old + "\"");

		String restartsSection = section(page, "restarts");
		assertThat(restartsSection).contains("(1)")
			.contains("href=\"/executions/" + waiting + "\">" + PURGE + " #" + waiting + "</a>")
			.contains("restart 1 of 3")
			.contains("due ")
			.doesNotContain("#" + old);

		String nodesSection = section(page, "silent-nodes");
		assertThat(nodesSection).contains("(1)")
			.contains(">test-silent</a>")
			.contains("1 running execution(s) left behind")
			.doesNotContain("test-alive")
			.doesNotContain("test-stopped");
	}

	@Test
	void pushesTheRunningExecutionsProgressToTheOpenPage() throws Exception {
		long running = this.fixture.execution(this.fixture.instance(PURGE, "live"), BatchStatus.STARTED, null).getId();
		this.jdbc.update("UPDATE BATCH_STEP_EXECUTION SET READ_COUNT = 40, WRITE_COUNT = 35, PROCESS_SKIP_COUNT = 1"
				+ " WHERE JOB_EXECUTION_ID = ?", running);
		String page = page();
		assertThat(page).contains("data-running-stream=\"/attention/running\"")
			.contains("data-running-ids=\"" + running + "\"");
		assertThat(entry(section(page, "running"), running)).contains("<span class=\"step\">in step1</span>")
			.contains("<span class=\"elapsed\">for ");

		// The stream's first event comes at once; later ones every two seconds.
		MvcResult stream = this.mvc.perform(get("/attention/running")).andExpect(request().asyncStarted()).andReturn();
		String events = stream.getResponse().getContentAsString();
		assertThat(events).startsWith("event:running\ndata:")
			.contains("{\"executions\":[{\"id\":" + running
					+ ",\"status\":\"STARTED\",\"step\":\"step1\",\"read\":40,\"written\":35,\"skipped\":1,\"elapsed\":\"")
			.contains("\"more\":false}");
	}

	private void node(String id, Instant heartbeat, Instant stopped) {
		this.jdbc.update(
				"INSERT INTO BATCHYARD_NODE (NODE_ID, HOST_NAME, PID, ROLE, STARTED_AT, HEARTBEAT_AT, STOPPED_AT)"
						+ " VALUES (?, 'elsewhere', 1, 'server', ?, ?, ?)",
				id, Timestamp.from(heartbeat.minus(1, ChronoUnit.DAYS)), Timestamp.from(heartbeat),
				(stopped != null) ? Timestamp.from(stopped) : null);
	}

	private void claim(long executionId, String node) {
		this.jdbc.update(
				"INSERT INTO BATCHYARD_NODE_EXECUTION (JOB_EXECUTION_ID, NODE_ID, CLAIMED_AT) VALUES (?, ?, ?)",
				executionId, node, Timestamp.from(Instant.now()));
	}

	private void restart(long failedExecutionId, String state, Instant due) {
		// The restart policy already decided (no restart for a launch by hand): replace
		// its decision.
		this.jdbc.update("DELETE FROM BATCHYARD_AUTO_RESTART WHERE FAILED_EXECUTION_ID = ?", failedExecutionId);
		this.jdbc.update("INSERT INTO BATCHYARD_AUTO_RESTART (FAILED_EXECUTION_ID, JOB_INSTANCE_ID, JOB_NAME, CATEGORY,"
				+ " ATTEMPT, MAX_ATTEMPTS, STATE, DUE_AT, CREATED_AT) SELECT JOB_EXECUTION_ID, JOB_INSTANCE_ID, ?,"
				+ " 'TRANSIENT', 1, 3, ?, ?, ? FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?", PURGE, state,
				(due != null) ? Timestamp.from(due) : null, Timestamp.from(Instant.now()), failedExecutionId);
	}

	private String page() throws Exception {
		return this.mvc.perform(get("/")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
	}

	private static String section(String page, String id) {
		int start = page.indexOf("<section class=\"attention\" id=\"" + id + "\">");
		assertThat(start).as(id).isNotNegative();
		return page.substring(start, page.indexOf("</section>", start));
	}

	private static String entry(String section, long executionId) {
		int start = section.indexOf("data-execution=\"" + executionId + "\"");
		assertThat(start).isNotNegative();
		return section.substring(start, section.indexOf("</li>", start));
	}

}
