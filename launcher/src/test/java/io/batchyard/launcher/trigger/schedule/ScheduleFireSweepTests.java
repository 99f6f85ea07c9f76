package io.batchyard.launcher.trigger.schedule;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.LaunchRequest.Trigger;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;
import io.batchyard.launcher.launch.LaunchRefusedException.Reason;
import io.batchyard.launcher.runner.RunnerNode;
import io.batchyard.launcher.runner.RunnerProperties;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.trigger.schedule.ScheduleFireLedger.Fire;
import io.batchyard.launcher.trigger.schedule.ScheduleProperties.Scheduler;
import io.batchyard.launcher.trigger.schedule.ScheduledLaunches.FireOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A schedule fire recorded in the ledger but never launched: its node died between the
 * ledger insert and the launch (simulated by a claim of a node whose heartbeat expired),
 * the launch failed, or the node began shutting down. The sweep of a live node launches
 * it exactly once, as the same job instance.
 */
@BatchyardTest
@TestPropertySource(properties = { "batchyard.schedules.repository-purge.cron=-", "batchyard.schedules.nightly.cron=-",
		"batchyard.schedules.nightly.job=repositoryPurgeJob",
		"batchyard.schedules.nightly.parameters.note=from the nightly schedule,java.lang.String,false" })
class ScheduleFireSweepTests {

	private static final String JOB = "repositoryPurgeJob";

	private static final String DEAD = "dead-node-1";

	@Autowired
	ScheduledLaunches launches;

	@Autowired
	ScheduleProperties properties;

	@Autowired
	JobLaunchService launchService;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TaskScheduler taskScheduler;

	@Autowired
	RunnerProperties runnerProperties;

	@Autowired
	RunnerNode node;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@Autowired
	MockMvc mvc;

	@AfterEach
	void cleanUp() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject(
					"SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE STATUS IN" + " ('STARTING', 'STARTED', 'STOPPING')",
					Integer.class) == 0);
		this.repositoryUtils.removeJobExecutions();
		this.jdbc.update("DELETE FROM BATCHYARD_SCHEDULE_FIRE");
		this.jdbc.update("DELETE FROM BATCHYARD_NODE WHERE NODE_ID <> ?", this.node.id());
	}

	@Test
	void aFireRecordedByANodeThatDiedBeforeLaunchingItIsLaunchedOnceByTheSweep() {
		Instant fireTime = Instant.parse("2026-11-23T03:30:00Z");
		node(DEAD, Duration.ofMinutes(5));
		record(fireTime, DEAD);

		List<FireOutcome> outcomes = this.launches.sweep();

		assertThat(outcomes).singleElement().satisfies((outcome) -> {
			assertThat(outcome.fireTime()).isEqualTo(fireTime);
			assertThat(outcome.outcome()).isEqualTo("launched");
		});
		long executionId = outcomes.get(0).jobExecutionId();
		assertThat(executions(fireTime)).containsExactly(executionId);
		awaitEnd(executionId);
		// The recorded parameters: the fire time identifying, the schedule's own as
		// given.
		assertThat(this.jdbc.queryForList(
				"SELECT PARAMETER_NAME || '=' || PARAMETER_VALUE || ' ' || IDENTIFYING"
						+ " FROM BATCH_JOB_EXECUTION_PARAMS WHERE JOB_EXECUTION_ID = ? ORDER BY PARAMETER_NAME",
				String.class, executionId))
			.containsExactly("fireTime=" + fireTime + " Y", "note=from the nightly schedule N");
		Map<String, Object> row = fire(fireTime);
		assertThat(row.get("STATE")).isEqualTo("LAUNCHED");
		assertThat(row.get("NODE_ID")).isEqualTo(this.node.id());
		assertThat(((Number) row.get("JOB_EXECUTION_ID")).longValue()).isEqualTo(executionId);
		assertThat(((Number) row.get("ATTEMPTS")).intValue()).isEqualTo(2);
		assertThat((String) row.get("OUTCOME")).isEqualTo("launched by node " + this.node.id()
				+ " after it was recorded by node " + DEAD + ", which died or lost its database before launching it");
		assertThat(this.launches.schedules()).filteredOn((schedule) -> schedule.name().equals("nightly"))
			.singleElement()
			.satisfies((schedule) -> assertThat(schedule.lastFire().state()).isEqualTo("LAUNCHED"));

		// Nothing left to take over: a later sweep launches nothing.
		assertThat(this.launches.sweep()).isEmpty();
		assertThat(executions(fireTime)).containsExactly(executionId);
	}

	@Test
	void aClaimOfALiveNodeIsLeftToItUntilTheClaimTimeout() throws Exception {
		Instant fireTime = Instant.parse("2026-11-23T04:30:00Z");
		String alive = "live-node-1";
		node(alive, Duration.ZERO);
		record(fireTime, alive);

		assertThat(this.launches.sweep()).isEmpty();
		assertThat(fire(fireTime).get("STATE")).isEqualTo("CLAIMED");
		assertThat(executions(fireTime)).isEmpty();
		this.mvc.perform(get("/api/schedules"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[?(@.name == 'nightly')].lastFire.state").value("CLAIMED"))
			.andExpect(jsonPath("$[?(@.name == 'nightly')].lastFire.nodeId").value(alive));
		assertThat(this.mvc.perform(get("/schedules")).andReturn().getResponse().getContentAsString())
			.contains("being launched by node " + alive);

		// Claimed longer ago than the claim timeout (5 min): the node heart-beats, but
		// its
		// launch never got recorded (it lost its database meanwhile).
		this.jdbc.update("UPDATE BATCHYARD_SCHEDULE_FIRE SET CLAIMED_AT = ? WHERE FIRE_TIME = ?",
				Timestamp.from(Instant.now().minus(Duration.ofMinutes(6))), Timestamp.from(fireTime));
		List<FireOutcome> outcomes = this.launches.sweep();
		assertThat(outcomes).singleElement()
			.satisfies((outcome) -> assertThat(outcome.outcome()).isEqualTo("launched"));
		assertThat(executions(fireTime)).containsExactly(outcomes.get(0).jobExecutionId());
		awaitEnd(outcomes.get(0).jobExecutionId());
	}

	@Test
	void twoSweepsRacingLaunchEachStrandedFireOnce() throws Exception {
		node(DEAD, Duration.ofMinutes(5));
		List<Instant> fireTimes = IntStream.range(0, 6)
			.mapToObj((i) -> Instant.parse("2026-11-23T05:00:00Z").plus(Duration.ofMinutes(10L * i)))
			.toList();
		fireTimes.forEach((fireTime) -> record(fireTime, DEAD));
		RunnerNode otherNode = new RunnerNode(this.jdbc, Clock.systemDefaultZone(), this.runnerProperties);
		// Registered and alive, as a sweeping node is: an unregistered one would count as
		// dead, and its claims would be taken over again.
		node(otherNode.id(), Duration.ZERO);
		ScheduledLaunches other = new ScheduledLaunches(this.properties, this.launchService,
				new ScheduleFireLedger(this.jdbc, Duration.ofDays(30)), otherNode, this.taskScheduler,
				Clock.systemDefaultZone());
		CyclicBarrier barrier = new CyclicBarrier(2);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		List<FireOutcome> outcomes = new ArrayList<>();
		try {
			List<Future<List<FireOutcome>>> sweeps = new ArrayList<>();
			for (ScheduledLaunches sweeper : List.of(this.launches, other)) {
				Callable<List<FireOutcome>> sweep = () -> {
					barrier.await();
					return sweeper.sweep();
				};
				sweeps.add(pool.submit(sweep));
			}
			for (Future<List<FireOutcome>> sweep : sweeps) {
				outcomes.addAll(sweep.get());
			}
		}
		finally {
			pool.shutdownNow();
		}

		// Each fire taken over by exactly one of the two sweeps, and launched once.
		assertThat(outcomes).extracting(FireOutcome::fireTime).containsExactlyInAnyOrderElementsOf(fireTimes);
		assertThat(outcomes).extracting(FireOutcome::outcome).containsOnly("launched");
		for (Instant fireTime : fireTimes) {
			assertThat(executions(fireTime)).as("executions of %s", fireTime).hasSize(1);
			assertThat(fire(fireTime).get("STATE")).isEqualTo("LAUNCHED");
			assertThat(fire(fireTime).get("NODE_ID")).isIn(this.node.id(), otherNode.id());
		}
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION", Integer.class))
			.isEqualTo(fireTimes.size());
		outcomes.forEach((outcome) -> awaitEnd(outcome.jobExecutionId()));
		assertThat(this.launches.sweep()).isEmpty();
		assertThat(other.sweep()).isEmpty();
	}

	/**
	 * The node launched the fire, then died before recording it; its execution was
	 * recovered to FAILED. Launching the fire again would restart that instance: a second
	 * execution of the same fire.
	 */
	@Test
	void aFireLaunchedBeforeItsNodeDiedIsRecordedNotLaunchedAgain() {
		Instant fireTime = Instant.parse("2026-11-23T06:30:00Z");
		JobExecution launched = this.launchService.launch(new LaunchRequest(JOB,
				Map.of("fireTime", fireTime.toString(), "note", "from the nightly schedule,java.lang.String,false"),
				Trigger.SCHEDULE));
		awaitEnd(launched.getId());
		this.jdbc.update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'FAILED', EXIT_CODE = 'FAILED'"
				+ " WHERE JOB_EXECUTION_ID = ?", launched.getId());
		node(DEAD, Duration.ofMinutes(5));
		record(fireTime, DEAD);

		List<FireOutcome> outcomes = this.launches.sweep();

		assertThat(outcomes).singleElement().satisfies((outcome) -> {
			assertThat(outcome.jobExecutionId()).isEqualTo(launched.getId());
			assertThat(outcome.outcome())
				.isEqualTo("launched before it was taken over (execution " + launched.getId() + ", FAILED)");
		});
		assertThat(executions(fireTime)).containsExactly(launched.getId());
		assertThat(fire(fireTime).get("STATE")).isEqualTo("LAUNCHED");
		assertThat(((Number) fire(fireTime).get("JOB_EXECUTION_ID")).longValue()).isEqualTo(launched.getId());
	}

	@Test
	void aFireRecordedBeforeTheLedgerKeptItsLaunchIsLaunchedWithTheSchedulesSettings() {
		Instant fireTime = Instant.parse("2026-11-23T07:30:00Z");
		node(DEAD, Duration.ofMinutes(5));
		// As the migration leaves a row recorded by an older version and never launched.
		this.jdbc.update(
				"INSERT INTO BATCHYARD_SCHEDULE_FIRE (SCHEDULE_NAME, FIRE_TIME, NODE_ID, FIRED_AT, CLAIMED_AT)"
						+ " VALUES ('nightly', ?, ?, ?, ?)",
				Timestamp.from(fireTime), DEAD, Timestamp.from(fireTime), Timestamp.from(fireTime));

		List<FireOutcome> outcomes = this.launches.sweep();

		assertThat(outcomes).singleElement()
			.satisfies((outcome) -> assertThat(outcome.outcome()).isEqualTo("launched"));
		assertThat(executions(fireTime)).containsExactly(outcomes.get(0).jobExecutionId());
		assertThat(fire(fireTime).get("JOB_NAME")).isEqualTo(JOB);
		awaitEnd(outcomes.get(0).jobExecutionId());
	}

	@Test
	void aLaunchThatFailsIsTriedAgainByTheSweepAfterTheBackOff() {
		Instant fireTime = Instant.parse("2026-11-23T08:30:00Z");
		JobLaunchService flaky = spy(this.launchService);
		doThrow(new TransientDataAccessResourceException("Connection reset")).doCallRealMethod()
			.when(flaky)
			.launch(any());
		ScheduledLaunches firing = new ScheduledLaunches(this.properties, flaky,
				new ScheduleFireLedger(this.jdbc, Duration.ofDays(30)), this.node, this.taskScheduler,
				Clock.systemDefaultZone());

		FireOutcome first = firing.fireOnce("nightly", fireTime);

		assertThat(first.jobExecutionId()).isNull();
		assertThat(first.outcome()).startsWith("launch attempt 1 of 10 failed, tried again from ")
			.endsWith(": Connection reset");
		Map<String, Object> row = fire(fireTime);
		assertThat(row.get("STATE")).isEqualTo("RETRY");
		assertThat(this.jdbc
			.queryForObject("SELECT NEXT_ATTEMPT_AT FROM BATCHYARD_SCHEDULE_FIRE WHERE FIRE_TIME = ?", Timestamp.class,
					Timestamp.from(fireTime))
			.toInstant()).isAfter(Instant.now());
		assertThat(executions(fireTime)).isEmpty();
		// Not due before the back-off (the sweep interval, 5 s).
		assertThat(firing.sweep()).isEmpty();

		ScheduledLaunches later = new ScheduledLaunches(this.properties, flaky,
				new ScheduleFireLedger(this.jdbc, Duration.ofDays(30)), this.node, this.taskScheduler,
				Clock.offset(Clock.systemDefaultZone(), Duration.ofSeconds(6)));
		List<FireOutcome> outcomes = later.sweep();

		assertThat(outcomes).singleElement()
			.satisfies((outcome) -> assertThat(outcome.outcome()).isEqualTo("launched"));
		assertThat(executions(fireTime)).containsExactly(outcomes.get(0).jobExecutionId());
		assertThat(fire(fireTime).get("STATE")).isEqualTo("LAUNCHED");
		assertThat(((Number) fire(fireTime).get("ATTEMPTS")).intValue()).isEqualTo(2);
		awaitEnd(outcomes.get(0).jobExecutionId());
	}

	@Test
	void aFireWhoseLaunchKeepsFailingIsGivenUpAfterItsAttempts() {
		Instant fireTime = Instant.parse("2026-11-23T09:30:00Z");
		JobLaunchService broken = spy(this.launchService);
		doThrow(new TransientDataAccessResourceException("Connection reset")).when(broken).launch(any());
		ScheduleProperties twoAttempts = new ScheduleProperties(this.properties.schedules(),
				new Scheduler(false, ZoneOffset.UTC, Duration.ofSeconds(5), Duration.ofMinutes(5), 2, Duration.ZERO));
		ScheduledLaunches firing = new ScheduledLaunches(twoAttempts, broken,
				new ScheduleFireLedger(this.jdbc, Duration.ofDays(30)), this.node, this.taskScheduler,
				Clock.systemDefaultZone());
		firing.fireOnce("nightly", fireTime);
		ScheduledLaunches later = new ScheduledLaunches(twoAttempts, broken,
				new ScheduleFireLedger(this.jdbc, Duration.ofDays(30)), this.node, this.taskScheduler,
				Clock.offset(Clock.systemDefaultZone(), Duration.ofSeconds(6)));

		assertThat(later.sweep()).singleElement()
			.satisfies((outcome) -> assertThat(outcome.outcome())
				.isEqualTo("gave up after 2 launch attempts; the last failed: Connection reset"));

		assertThat(fire(fireTime).get("STATE")).isEqualTo("REFUSED");
		assertThat(later.sweep()).isEmpty();
		assertThat(executions(fireTime)).isEmpty();
	}

	@Test
	void aNodeThatBeginsShuttingDownAfterRecordingAFireLeavesItToAnotherNode() {
		Instant fireTime = Instant.parse("2026-11-23T10:30:00Z");
		JobLaunchService stopping = mock(JobLaunchService.class);
		given(stopping.isAcceptingLaunches()).willReturn(true);
		given(stopping.launch(any()))
			.willThrow(new LaunchRefusedException(Reason.SHUTTING_DOWN, "This runner node is shutting down"));
		ScheduledLaunches dying = new ScheduledLaunches(this.properties, stopping,
				new ScheduleFireLedger(this.jdbc, Duration.ofDays(30)), this.node, this.taskScheduler,
				Clock.systemDefaultZone());

		FireOutcome refused = dying.fireOnce("nightly", fireTime);

		assertThat(refused.outcome()).isEqualTo("SHUTTING_DOWN: This runner node is shutting down");
		assertThat(fire(fireTime).get("STATE")).isEqualTo("RETRY");
		List<FireOutcome> outcomes = this.launches.sweep();
		assertThat(outcomes).singleElement()
			.satisfies((outcome) -> assertThat(outcome.outcome()).isEqualTo("launched"));
		assertThat(executions(fireTime)).containsExactly(outcomes.get(0).jobExecutionId());
		awaitEnd(outcomes.get(0).jobExecutionId());
	}

	/** A runner node whose last heartbeat was {@code silentFor} ago. */
	private void node(String id, Duration silentFor) {
		Timestamp heartbeat = Timestamp.from(Instant.now().minus(silentFor));
		this.jdbc.update("INSERT INTO BATCHYARD_NODE (NODE_ID, HOST_NAME, PID, ROLE, STARTED_AT, HEARTBEAT_AT)"
				+ " VALUES (?, 'elsewhere', 1, 'server', ?, ?)", id, heartbeat, heartbeat);
	}

	/** What a node writes when it wins a fire of {@code nightly}, before launching it. */
	private void record(Instant fireTime, String nodeId) {
		Fire fire = new Fire("nightly", fireTime, JOB,
				Map.of("fireTime", fireTime.toString(), "note", "from the nightly schedule,java.lang.String,false"));
		assertThat(new ScheduleFireLedger(this.jdbc, Duration.ofDays(30)).claim(fire, nodeId, Instant.now())).isTrue();
	}

	private Map<String, Object> fire(Instant fireTime) {
		Map<String, Object> row = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		row.putAll(this.jdbc.queryForMap("SELECT * FROM BATCHYARD_SCHEDULE_FIRE WHERE FIRE_TIME = ?",
				Timestamp.from(fireTime)));
		return row;
	}

	private List<Long> executions(Instant fireTime) {
		return this.jdbc.queryForList(
				"SELECT JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION_PARAMS"
						+ " WHERE PARAMETER_NAME = 'fireTime' AND PARAMETER_VALUE = ? ORDER BY JOB_EXECUTION_ID",
				Long.class, fireTime.toString());
	}

	private void awaitEnd(long executionId) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jobRepository.getJobExecution(executionId).getStatus() == BatchStatus.COMPLETED);
	}

}
