package io.batchyard.launcher.trigger.schedule;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;
import io.batchyard.launcher.launch.LaunchRefusedException.Reason;
import io.batchyard.launcher.runner.RunnerNode;
import io.batchyard.launcher.runner.RunnerProperties;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.trigger.schedule.ScheduledLaunches.FireOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@BatchyardTest
@TestPropertySource(properties = { "batchyard.scheduler.enabled=true", "batchyard.schedules.repository-purge.cron=-",
		"batchyard.schedules.new-year.cron=0 0 0 1 1 *", "batchyard.schedules.new-year.job=repositoryPurgeJob",
		"batchyard.schedules.manual.cron=-", "batchyard.schedules.manual.job=repositoryPurgeJob" })
class ScheduledLaunchesTests {

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
		this.launches.stop();
		// Executions a test triggered may still be running: removing them would race
		// their steps.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc
				.queryForObject("SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE STATUS IN"
						+ " ('STARTING', 'STARTED', 'STOPPING')", Integer.class) == 0
					&& this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE STATUS IN"
							+ " ('STARTING', 'STARTED', 'STOPPING')", Integer.class) == 0);
		this.repositoryUtils.removeJobExecutions();
		this.jdbc.update("DELETE FROM BATCHYARD_SCHEDULE_FIRE");
		this.launches.start();
	}

	@Test
	void twoNodesFiringTheSameTimeLaunchOnce() throws Exception {
		this.launches.stop();
		RunnerNode otherNode = new RunnerNode(this.jdbc, Clock.systemDefaultZone(), this.runnerProperties);
		ScheduledLaunches otherLaunches = new ScheduledLaunches(this.properties, this.launchService,
				new ScheduleFireLedger(this.jdbc, Duration.ofDays(30)), otherNode, this.taskScheduler,
				Clock.systemDefaultZone());
		Instant fireTime = Instant.parse("2026-11-23T03:30:00Z");
		CyclicBarrier barrier = new CyclicBarrier(2);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			List<Future<FireOutcome>> outcomes = new ArrayList<>();
			for (ScheduledLaunches node : List.of(this.launches, otherLaunches)) {
				Callable<FireOutcome> fire = () -> {
					barrier.await();
					return node.fireOnce("manual", fireTime);
				};
				outcomes.add(pool.submit(fire));
			}
			List<String> results = new ArrayList<>();
			for (Future<FireOutcome> outcome : outcomes) {
				results.add(outcome.get().outcome());
			}
			assertThat(results).containsExactlyInAnyOrder("launched", "claimed by another node");
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION", Integer.class)).isEqualTo(1);
		assertThat(this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM BATCHYARD_SCHEDULE_FIRE WHERE SCHEDULE_NAME = 'manual' AND JOB_EXECUTION_ID IS NOT NULL",
				Integer.class))
			.isEqualTo(1);
	}

	@Test
	void aNodeShuttingDownClaimsNoFireTimeSoThatAnotherNodeLaunchesIt() {
		JobLaunchService shuttingDown = mock(JobLaunchService.class);
		given(shuttingDown.isAcceptingLaunches()).willReturn(false);
		ScheduledLaunches dying = new ScheduledLaunches(this.properties, shuttingDown,
				new ScheduleFireLedger(this.jdbc, Duration.ofDays(30)), this.node, this.taskScheduler,
				Clock.systemDefaultZone());
		Instant fireTime = Instant.parse("2026-11-23T03:30:00Z");

		assertThatExceptionOfType(LaunchRefusedException.class).isThrownBy(() -> dying.fireOnce("manual", fireTime))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.SHUTTING_DOWN));

		verify(shuttingDown, never()).launch(any());
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCHYARD_SCHEDULE_FIRE", Integer.class)).isZero();
		FireOutcome other = this.launches.fireOnce("manual", fireTime);
		assertThat(other.outcome()).isEqualTo("launched");
		awaitCompleted(other.jobExecutionId());
	}

	@Test
	void aSecondFireOfTheSameTimeFindsTheSameInstance() throws Exception {
		Instant fireTime = Instant.parse("2026-11-23T03:30:00Z");
		FireOutcome first = this.launches.fireOnce("manual", fireTime);
		awaitCompleted(first.jobExecutionId());
		// The ledger row is gone (for instance purged), yet the identifying parameter
		// still maps the fire time to the completed instance.
		this.jdbc.update("DELETE FROM BATCHYARD_SCHEDULE_FIRE");
		FireOutcome second = this.launches.fireOnce("manual", fireTime);
		assertThat(second.outcome()).startsWith("ALREADY_COMPLETE");
		assertThat(second.jobExecutionId()).isEqualTo(first.jobExecutionId());
		assertThat(this.jobRepository.getJobInstanceCount("repositoryPurgeJob")).isEqualTo(1);
	}

	@Test
	void firingForgetsFiresOlderThanTheRetention() {
		Instant fireTime = Instant.parse("2026-11-23T03:30:00Z");
		for (String old : List.of("2026-09-01T03:30:00Z", "2026-10-24T03:29:59Z", "2026-10-24T03:30:00Z")) {
			this.jdbc.update(
					"INSERT INTO BATCHYARD_SCHEDULE_FIRE (SCHEDULE_NAME, FIRE_TIME, NODE_ID, FIRED_AT, STATE)"
							+ " VALUES ('manual', ?, 'gone', ?, 'LAUNCHED')",
					Timestamp.from(Instant.parse(old)), Timestamp.from(Instant.parse(old)));
		}
		this.jdbc.update(
				"INSERT INTO BATCHYARD_SCHEDULE_FIRE (SCHEDULE_NAME, FIRE_TIME, NODE_ID, FIRED_AT, STATE)"
						+ " VALUES ('new-year', ?, 'gone', ?, 'LAUNCHED')",
				Timestamp.from(Instant.parse("2026-01-01T00:00:00Z")),
				Timestamp.from(Instant.parse("2026-01-01T00:00:00Z")));
		FireOutcome outcome = this.launches.fireOnce("manual", fireTime);
		awaitCompleted(outcome.jobExecutionId());
		// Kept: fires within the 30 days before this one (the boundary included), and
		// other schedules' fires, which their own next fire prunes.
		assertThat(this.jdbc.queryForList("SELECT FIRE_TIME FROM BATCHYARD_SCHEDULE_FIRE ORDER BY FIRE_TIME",
				Timestamp.class))
			.extracting(Timestamp::toInstant)
			.containsExactly(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-10-24T03:30:00Z"), fireTime);
	}

	@Test
	void listsSchedulesAndTriggersOneNow() throws Exception {
		this.mvc.perform(get("/api/schedules"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[?(@.name == 'repository-purge')].enabled").value(false))
			.andExpect(jsonPath("$[?(@.name == 'new-year')].enabled").value(true))
			.andExpect(jsonPath("$[?(@.name == 'new-year')].nextFireTime").isNotEmpty());
		this.mvc.perform(post("/api/schedules/manual/trigger"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.outcome").value("launched"));
		this.mvc.perform(post("/api/schedules/nope/trigger"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value(org.hamcrest.Matchers.startsWith("No schedule named 'nope'")));
	}

	private void awaitCompleted(long executionId) {
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			JobExecution execution = this.jobRepository.getJobExecution(executionId);
			JobInstance instance = execution.getJobInstance();
			return instance != null && execution.getStatus() == BatchStatus.COMPLETED;
		});
	}

}
