package io.batchyard.launcher.api;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import io.batchyard.test.RepositoryFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.ResultMatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The executions API and the launch endpoint, over metadata written through the
 * {@code JobRepository} and real runs of {@code repositoryPurgeJob}.
 */
@BatchyardTest
@Import(JobRuns.class)
// The node beats once at start-up only, so its own recovery of dead executions never
// races the recover endpoint under test.
@TestPropertySource(properties = { "batchyard.runner.heartbeat-interval=1h", "batchyard.runner.heartbeat-timeout=1h" })
class ExecutionsApiTests {

	private static final String PURGE = "repositoryPurgeJob";

	private static final String AS_OF = "2026-11-23T03:30:00Z";

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
		this.jobRuns.reset();
	}

	@Test
	void listsExecutionsOfAllJobsNewestFirstWithPaging() throws Exception {
		long[] e = seedHistory();
		assertThat(ids("/api/executions")).containsExactly(e[4], e[3], e[2], e[1], e[0]);
		this.mvc.perform(get("/api/executions").param("size", "2"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.page").value(0))
			.andExpect(jsonPath("$.size").value(2))
			.andExpect(jsonPath("$.totalElements").value(5))
			.andExpect(jsonPath("$.totalPages").value(3))
			.andExpect(jsonPath("$.content[0].job").value("exportJob"))
			.andExpect(jsonPath("$.content[0].status").value("STOPPED"))
			.andExpect(jsonPath("$.content[0].exitCode").value("STOPPED"))
			.andExpect(jsonPath("$.content[0].createTime").value(startsWith("2026-11-05T10:00:00")));
		assertThat(ids("/api/executions?size=2")).containsExactly(e[4], e[3]);
		assertThat(ids("/api/executions?size=2&page=1")).containsExactly(e[2], e[1]);
		assertThat(ids("/api/executions?size=2&page=2")).containsExactly(e[0]);
		assertThat(ids("/api/executions?size=2&page=3")).isEmpty();
	}

	@Test
	void filtersByJobStatusAndCreationTime() throws Exception {
		long[] e = seedHistory();
		assertThat(ids("/api/executions?job=importJob")).containsExactly(e[3], e[1], e[0]);
		assertThat(ids("/api/executions?status=failed")).containsExactly(e[1]);
		assertThat(ids("/api/executions?job=importJob&status=COMPLETED")).containsExactly(e[3], e[0]);
		assertThat(ids("/api/executions?job=noSuchJob")).isEmpty();
		// Dates are midnights in the server's zone; "to" is exclusive.
		assertThat(ids("/api/executions?from=2026-11-02&to=2026-11-04")).containsExactly(e[2], e[1]);
		String from = LocalDateTime.of(2026, 11, 3, 10, 0).atZone(ZoneId.systemDefault()).toOffsetDateTime().toString();
		assertThat(ids("/api/executions?from=" + from.replace("+", "%2B"))).containsExactly(e[4], e[3], e[2]);
		this.mvc.perform(get("/api/executions").param("job", "importJob").param("size", "1"))
			.andExpect(jsonPath("$.totalElements").value(3))
			.andExpect(jsonPath("$.totalPages").value(3));
	}

	@Test
	void refusesBadFiltersWithAJsonError() throws Exception {
		badRequest(get("/api/executions").param("status", "DONE"), "Unknown status 'DONE'");
		badRequest(get("/api/executions").param("from", "yesterday"), "'from' must be an ISO date");
		badRequest(get("/api/executions").param("to", "2026-13-01"), "'to' must be an ISO date");
		badRequest(get("/api/executions").param("page", "-1"), "page must be 0 or more");
		badRequest(get("/api/executions").param("size", "501"), "size between 1 and 500");
		badRequest(get("/api/executions").param("size", "abc"), "Invalid value 'abc' for 'size'");
	}

	@Test
	void showsAnExecutionWithItsParametersStepsAndAllowedActions() throws Exception {
		JobInstance instance = this.fixture.instance(PURGE,
				new JobParametersBuilder().addString("asOf", AS_OF).addLong("batch", 42L, false).toJobParameters());
		long failed = this.fixture
			.execution(instance, BatchStatus.FAILED, LocalDateTime.now().minusMinutes(1), BatchStatus.COMPLETED,
					BatchStatus.FAILED)
			.getId();
		// The execution ran on node "manager-node", and its second step, a remote
		// partition, on "worker-node".
		this.jdbc.update("INSERT INTO BATCHYARD_NODE_EXECUTION (JOB_EXECUTION_ID, NODE_ID, CLAIMED_AT)"
				+ " VALUES (?, 'manager-node', CURRENT_TIMESTAMP)", failed);
		long partition = this.jdbc.queryForObject(
				"SELECT MAX(STEP_EXECUTION_ID) FROM BATCH_STEP_EXECUTION" + " WHERE JOB_EXECUTION_ID = ?", Long.class,
				failed);
		this.jdbc.update("INSERT INTO BATCHYARD_NODE_PARTITION (STEP_EXECUTION_ID, JOB_EXECUTION_ID, NODE_ID,"
				+ " CLAIMED_AT) VALUES (?, ?, 'worker-node', CURRENT_TIMESTAMP)", partition, failed);

		this.mvc.perform(get("/api/executions/" + failed))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.node").value("manager-node"))
			.andExpect(jsonPath("$.steps[0].node").value("manager-node"))
			.andExpect(jsonPath("$.steps[1].node").value("worker-node"))
			.andExpect(id("$.id", failed))
			.andExpect(id("$.instanceId", instance.getInstanceId()))
			.andExpect(jsonPath("$.job").value(PURGE))
			.andExpect(jsonPath("$.status").value("FAILED"))
			.andExpect(jsonPath("$.exitCode").value("FAILED"))
			.andExpect(jsonPath("$.parameters.length()").value(2))
			.andExpect(jsonPath("$.parameters[0].name").value("asOf"))
			.andExpect(jsonPath("$.parameters[0].value").value(AS_OF))
			.andExpect(jsonPath("$.parameters[0].type").value("java.lang.String"))
			.andExpect(jsonPath("$.parameters[0].identifying").value(true))
			.andExpect(jsonPath("$.parameters[1].name").value("batch"))
			.andExpect(jsonPath("$.parameters[1].value").value("42"))
			.andExpect(jsonPath("$.parameters[1].type").value("java.lang.Long"))
			.andExpect(jsonPath("$.parameters[1].identifying").value(false))
			.andExpect(jsonPath("$.steps.length()").value(2))
			.andExpect(jsonPath("$.steps[0].name").value("step1"))
			.andExpect(jsonPath("$.steps[0].status").value("COMPLETED"))
			.andExpect(jsonPath("$.steps[0].readCount").value(10))
			.andExpect(jsonPath("$.steps[0].writeCount").value(10))
			.andExpect(jsonPath("$.steps[0].commitCount").value(1))
			.andExpect(jsonPath("$.steps[1].name").value("step2"))
			.andExpect(jsonPath("$.steps[1].status").value("FAILED"))
			.andExpect(jsonPath("$.allowedActions").value(equalTo(List.of("restart", "abandon"))));

		long completed = this.fixture
			.execution(this.fixture.instance(PURGE, "done"), BatchStatus.COMPLETED, LocalDateTime.now())
			.getId();
		this.mvc.perform(get("/api/executions/" + completed)).andExpect(jsonPath("$.allowedActions").isEmpty());
		long running = this.fixture.execution(this.fixture.instance(PURGE, "running"), BatchStatus.STARTED, null)
			.getId();
		this.mvc.perform(get("/api/executions/" + running))
			.andExpect(jsonPath("$.status").value("STARTED"))
			.andExpect(jsonPath("$.endTime").doesNotExist())
			.andExpect(jsonPath("$.allowedActions").value(equalTo(List.of("stop"))));
	}

	@Test
	void launchesWithTypedParametersAndAnswersWithTheLocation() throws Exception {
		String location = this.mvc
			.perform(post("/api/jobs/" + PURGE + "/executions").contentType(MediaType.APPLICATION_JSON)
				.content("{\"parameters\": {\"asOf\": \"" + AS_OF + "\", \"batch\": 7, \"dryRun\": true}}"))
			.andExpect(status().isAccepted())
			.andExpect(header().string("Location", startsWith("/api/executions/")))
			.andExpect(jsonPath("$.job").value(PURGE))
			.andReturn()
			.getResponse()
			.getHeader("Location");
		long id = Long.parseLong(location.substring("/api/executions/".length()));
		this.jobRuns.awaitEnd(id);

		this.mvc.perform(get(location))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("COMPLETED"))
			.andExpect(jsonPath("$.exitDescription")
				.value("Removed 0 job-repository rows: 0 job executions, 0 job instances"))
			.andExpect(jsonPath("$.parameters[0].name").value("asOf"))
			.andExpect(jsonPath("$.parameters[1].name").value("batch"))
			.andExpect(jsonPath("$.parameters[1].type").value("java.lang.Long"))
			.andExpect(jsonPath("$.parameters[1].identifying").value(true))
			.andExpect(jsonPath("$.parameters[2].name").value("dryRun"))
			.andExpect(jsonPath("$.parameters[2].type").value("java.lang.Boolean"))
			.andExpect(jsonPath("$.steps[0].name").value("purgeExecutionsStep"))
			.andExpect(jsonPath("$.steps[0].readCount").value(0))
			.andExpect(jsonPath("$.allowedActions").isEmpty());
	}

	@Test
	void refusesInvalidParametersWithoutLeavingAnInstanceBehind() throws Exception {
		for (int i = 0; i < 2; i++) {
			// Twice: a second launch with the same parameters once failed with a 500.
			badRequest(launch("{\"parameters\": {\"asOf\": \"yesterday\"}}"),
					"Parameter 'asOf' must be an ISO-8601 instant");
		}
		badRequest(
				this.mvc
					.perform(post("/api/jobs/enhancementImportJob/executions").contentType(MediaType.APPLICATION_JSON)
						.content("{}")),
				"enhancementImportJob needs the identifying parameter 'batchId' (String, a UUID): the robot"
						+ " enhancement batch whose result file to import");
		badRequest(launch("{\"parameters\": {\"asOf\": \"2026-11-23T03:30:00\"}}"),
				"Parameter 'asOf' must be an ISO-8601 instant such as 2026-11-23T03:30:00Z, not '2026-11-23T03:30:00'");
		badRequest(launch("{\"parameters\": {\"asOf\": {\"day\": 1}}}"), "must be a string, number or boolean");
		badRequest(launch("{\"parameters\": {\"asOf\": \"" + AS_OF + "\", \"n\": \"1,java.lang.Nope\"}}"),
				"Parameter 'n': type 'java.lang.Nope' is not allowed");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE", Long.class)).isZero();
	}

	@Test
	void refusesMalformedJsonAndUnknownJobs() throws Exception {
		badRequest(launch("{\"parameters\": "), "Invalid request body");
		this.mvc
			.perform(post("/api/jobs/noSuchJob/executions").contentType(MediaType.APPLICATION_JSON)
				.content("{\"parameters\": {\"asOf\": \"" + AS_OF + "\"}}"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.status").value(404))
			.andExpect(jsonPath("$.error").value(org.hamcrest.Matchers.allOf(containsString("known jobs: ["),
					containsString("repositoryPurgeJob"), containsString("manifestUpdateJob"))));
	}

	@Test
	void refusesADuplicateLaunchNamingTheExecution() throws Exception {
		long running = this.fixture
			.execution(this.fixture.instance(PURGE, purgeParameters(AS_OF)), BatchStatus.STARTED, null)
			.getId();
		launch("{\"parameters\": {\"asOf\": \"" + AS_OF + "\"}}").andExpect(status().isConflict())
			.andExpect(jsonPath("$.status").value(409))
			.andExpect(id("$.executionId", running))
			.andExpect(jsonPath("$.error").value(containsString("is already running (execution " + running + ")")));

		String asOf = "2026-11-22T03:30:00Z";
		long completed = this.fixture
			.execution(this.fixture.instance(PURGE, purgeParameters(asOf)), BatchStatus.COMPLETED, LocalDateTime.now())
			.getId();
		launch("{\"parameters\": {\"asOf\": \"" + asOf + "\"}}").andExpect(status().isConflict())
			.andExpect(id("$.executionId", completed))
			.andExpect(jsonPath("$.error").value(containsString("is already complete (execution " + completed + ")")));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION", Long.class)).isEqualTo(2);
	}

	@Test
	void restartsAFailedExecutionAsANewExecutionOfItsInstance() throws Exception {
		JobInstance instance = this.fixture.instance(PURGE, purgeParameters(AS_OF));
		long failed = this.fixture.execution(instance, BatchStatus.FAILED, LocalDateTime.now().minusMinutes(1)).getId();

		String location = act(failed, "restart").andExpect(status().isAccepted())
			.andExpect(header().string("Location", startsWith("/api/executions/")))
			.andExpect(jsonPath("$.job").value(PURGE))
			.andReturn()
			.getResponse()
			.getHeader("Location");
		long restarted = Long.parseLong(location.substring("/api/executions/".length()));
		assertThat(restarted).isNotEqualTo(failed);
		this.jobRuns.awaitEnd(restarted);

		this.mvc.perform(get(location))
			.andExpect(jsonPath("$.status").value("COMPLETED"))
			.andExpect(id("$.instanceId", instance.getInstanceId()));
		this.mvc.perform(get("/api/executions/" + failed)).andExpect(jsonPath("$.allowedActions").isEmpty());
		act(failed, "restart").andExpect(status().isConflict())
			.andExpect(id("$.executionId", restarted))
			.andExpect(jsonPath("$.error")
				.value("Execution " + failed + " was restarted as execution " + restarted + ", which completed"));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION", Long.class)).isEqualTo(2);
	}

	@Test
	void refusesToRestartOrAbandonACompletedExecution() throws Exception {
		long completed = this.fixture
			.execution(this.fixture.instance(PURGE, purgeParameters(AS_OF)), BatchStatus.COMPLETED, LocalDateTime.now())
			.getId();
		conflict(act(completed, "restart"), completed, "only a FAILED or STOPPED execution can be restarted");
		conflict(act(completed, "abandon"), completed, "only a FAILED, STOPPED or UNKNOWN execution can be abandoned");
		conflict(act(completed, "stop"), completed, "it is not running");
		conflict(act(completed, "recover"), completed, "it is not running (status COMPLETED)");
	}

	@Test
	void abandonsAFailedExecutionWhichCanThenNeverBeRestarted() throws Exception {
		long failed = this.fixture
			.execution(this.fixture.instance(PURGE, purgeParameters(AS_OF)), BatchStatus.FAILED,
					LocalDateTime.now().minusMinutes(1))
			.getId();

		act(failed, "abandon").andExpect(status().isOk())
			.andExpect(id("$.executionId", failed))
			.andExpect(jsonPath("$.status").value("ABANDONED"));

		this.mvc.perform(get("/api/executions/" + failed))
			.andExpect(jsonPath("$.status").value("ABANDONED"))
			.andExpect(jsonPath("$.allowedActions").isEmpty());
		conflict(act(failed, "restart"), failed, "only a FAILED or STOPPED execution can be restarted");
		badRequestOrConflictOnLaunch();
	}

	@Test
	void stopsARunningExecution() throws Exception {
		long running = this.fixture
			.execution(this.fixture.instance(PURGE, purgeParameters(AS_OF)), BatchStatus.STARTED, null)
			.getId();

		String stepRow = "SELECT STATUS, VERSION FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = ?";
		Map<String, Object> stepBefore = this.jdbc.queryForMap(stepRow, running);

		// Only the job execution is marked: the running step reads it at its next chunk
		// commit and ends STOPPED there. Its row stays its own thread's to write (a
		// second writer would fail its commit on the row's version).
		act(running, "stop").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("STOPPING"));

		this.mvc.perform(get("/api/executions/" + running))
			.andExpect(jsonPath("$.status").value("STOPPING"))
			.andExpect(jsonPath("$.endTime").doesNotExist())
			.andExpect(jsonPath("$.steps[0].status").value("STARTED"));
		assertThat(this.jdbc.queryForMap(stepRow, running)).as("the running step's row").isEqualTo(stepBefore);
		// Until its step ends it is still stopping: nothing may race the running step.
		this.mvc.perform(get("/api/executions/" + running)).andExpect(jsonPath("$.allowedActions").isEmpty());
		conflict(act(running, "stop"), running, "it is already stopping");
		conflict(act(running, "recover"), running, "it is still running on a live runner node");
		conflict(act(running, "restart"), running, "only a FAILED or STOPPED execution can be restarted");
		conflict(act(running, "abandon"), running, "only a FAILED, STOPPED or UNKNOWN execution can be abandoned");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION", Long.class)).isEqualTo(1);
	}

	@Test
	void recoversAnExecutionWhoseRunnerDiedAndThenRestartsIt() throws Exception {
		long orphan = this.fixture
			.execution(this.fixture.instance(PURGE, purgeParameters(AS_OF)), BatchStatus.STARTED, null)
			.getId();
		// Never claimed by a node and older than the heartbeat timeout: its process died.
		this.jdbc.update("UPDATE BATCH_JOB_EXECUTION SET CREATE_TIME = ? WHERE JOB_EXECUTION_ID = ?",
				Timestamp.valueOf(LocalDateTime.now().minusHours(2)), orphan);
		this.mvc.perform(get("/api/executions/" + orphan))
			.andExpect(jsonPath("$.allowedActions").value(equalTo(List.of("recover"))));
		conflict(act(orphan, "stop"), orphan, "its runner node stopped sending heartbeats; recover it instead");
		conflict(act(orphan, "restart"), orphan, "only a FAILED or STOPPED execution can be restarted");

		act(orphan, "recover").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("FAILED"));

		this.mvc.perform(get("/api/executions/" + orphan))
			.andExpect(jsonPath("$.status").value("FAILED"))
			.andExpect(jsonPath("$.allowedActions").value(equalTo(List.of("restart", "abandon"))));
		String location = act(orphan, "restart").andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getHeader("Location");
		long restarted = Long.parseLong(location.substring("/api/executions/".length()));
		this.jobRuns.awaitEnd(restarted);
		this.mvc.perform(get(location)).andExpect(jsonPath("$.status").value("COMPLETED"));
	}

	@Test
	void answersNotFoundForUnknownExecutionsAndActions() throws Exception {
		this.mvc.perform(post("/api/executions/999999/restart"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value("No job execution with id 999999"));
		long completed = this.fixture
			.execution(this.fixture.instance(PURGE, purgeParameters(AS_OF)), BatchStatus.COMPLETED, LocalDateTime.now())
			.getId();
		this.mvc.perform(post("/api/executions/" + completed + "/explode"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value("No action 'explode': use restart, stop, abandon or recover"));
		badRequest(get("/api/executions/abc"), "Invalid value 'abc' for 'id'");
	}

	/** An abandoned instance is complete: launching it again is a duplicate. */
	private void badRequestOrConflictOnLaunch() throws Exception {
		launch("{\"parameters\": {\"asOf\": \"" + AS_OF + "\"}}").andExpect(status().isConflict())
			.andExpect(jsonPath("$.error").value(containsString("is already complete")));
	}

	/**
	 * Five executions of two other jobs, created on 1 to 5 November 2026 at 10:00.
	 */
	private long[] seedHistory() {
		long[] ids = new long[5];
		String[] jobs = { "importJob", "importJob", "exportJob", "importJob", "exportJob" };
		BatchStatus[] statuses = { BatchStatus.COMPLETED, BatchStatus.FAILED, BatchStatus.COMPLETED,
				BatchStatus.COMPLETED, BatchStatus.STOPPED };
		for (int i = 0; i < 5; i++) {
			LocalDateTime created = LocalDateTime.of(2026, 11, i + 1, 10, 0);
			ids[i] = this.fixture
				.execution(this.fixture.instance(jobs[i], "run-" + i), statuses[i], created.plusMinutes(30))
				.getId();
			this.jdbc.update("UPDATE BATCH_JOB_EXECUTION SET CREATE_TIME = ? WHERE JOB_EXECUTION_ID = ?",
					Timestamp.valueOf(created), ids[i]);
		}
		return ids;
	}

	private List<Long> ids(String url) throws Exception {
		String json = this.mvc.perform(get(url))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		List<Number> ids = JsonPath.read(json, "$.content[*].id");
		return ids.stream().map(Number::longValue).toList();
	}

	private ResultActions launch(String body) throws Exception {
		return this.mvc
			.perform(post("/api/jobs/" + PURGE + "/executions").contentType(MediaType.APPLICATION_JSON).content(body));
	}

	private ResultActions act(long executionId, String action) throws Exception {
		return this.mvc.perform(post("/api/executions/" + executionId + "/" + action));
	}

	private void badRequest(org.springframework.test.web.servlet.RequestBuilder request, String error)
			throws Exception {
		badRequest(this.mvc.perform(request), error);
	}

	private static void badRequest(ResultActions result, String error) throws Exception {
		result.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.status").value(400))
			.andExpect(jsonPath("$.error").value(containsString(error)));
	}

	private static void conflict(ResultActions result, long executionId, String why) throws Exception {
		result.andExpect(status().isConflict())
			.andExpect(jsonPath("$.status").value(409))
			.andExpect(id("$.executionId", executionId))
			.andExpect(jsonPath("$.error").value(containsString(why)));
	}

	private static ResultMatcher id(String path, long id) {
		return jsonPath(path).value(equalTo(id), Long.class);
	}

	private static org.springframework.batch.core.job.parameters.JobParameters purgeParameters(String asOf) {
		return new JobParametersBuilder().addString("asOf", asOf).toJobParameters();
	}

}
