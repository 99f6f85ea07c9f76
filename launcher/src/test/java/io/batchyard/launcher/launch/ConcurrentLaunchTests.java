package io.batchyard.launcher.launch;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.launcher.launch.LaunchRefusedException.Reason;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.test.RepositoryFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callers released together launch the same job instance through the launch service:
 * exactly one execution is created, every other caller is told it duplicated it. The
 * purge runs one execution per chunk with a pause, so the winner is still running while
 * the others look (a real race, not a sequence).
 */
@BatchyardTest
@TestPropertySource(properties = { "batchyard.housekeeping.chunk-size=1", "batchyard.housekeeping.chunk-pause=25ms" })
abstract class ConcurrentLaunchTests {

	private static final int CALLERS = 4;

	private static final int ROUNDS = 15;

	private static final Instant FIRST_AS_OF = Instant.parse("2026-11-23T03:30:00Z");

	@Autowired
	JobLaunchService launchService;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	@BatchTaskExecutor
	ThreadPoolTaskExecutor jobThreads;

	private RepositoryFixture fixture;

	private ExecutorService callers;

	private final Map<Reason, Integer> refusals = new EnumMap<>(Reason.class);

	@BeforeEach
	void setUp() {
		this.fixture = new RepositoryFixture(this.jobRepository);
		this.callers = Executors.newFixedThreadPool(CALLERS);
	}

	@AfterEach
	void cleanUp() throws InterruptedException {
		this.callers.shutdownNow();
		assertThat(this.callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		awaitNothingRunning();
		this.repositoryUtils.removeJobExecutions();
	}

	@Test
	void concurrentLaunchesOfANewInstanceCreateExactlyOneExecution() throws Exception {
		for (int round = 0; round < ROUNDS; round++) {
			seedOldExecutions(round, 3);
			String asOf = FIRST_AS_OF.plus(Duration.ofDays(round)).toString();
			LaunchRequest request = new LaunchRequest("repositoryPurgeJob", Map.of("asOf", asOf));

			LaunchRace.Result result = LaunchRace.launch(this.callers, CALLERS, this.launchService, request);
			assertOneWinner(result);
			JobExecution winner = result.started().get(0);

			JobInstance instance = this.jobRepository.getJobInstance("repositoryPurgeJob",
					new JobParametersBuilder().addString("asOf", asOf).toJobParameters());
			assertThat(instance).isNotNull();
			assertThat(winner.getJobInstance().getInstanceId()).isEqualTo(instance.getInstanceId());
			assertThat(this.jobRepository.getJobExecutions(instance)).extracting(JobExecution::getId)
				.containsExactly(winner.getId());
			JobExecution finished = LaunchRace.awaitEnd(this.jobRepository, this.jobThreads, winner.getId());
			assertThat(finished.getStatus()).as(finished.getExitStatus().getExitDescription())
				.isEqualTo(BatchStatus.COMPLETED);
			assertThat(finished.getExitStatus().getExitDescription())
				.isEqualTo("Removed 18 job-repository rows: 3 job executions, 3 job instances");
		}
		assertThat(purgeInstances()).isEqualTo(ROUNDS);
		assertThat(purgeExecutions()).isEqualTo(ROUNDS);
		// The losers looked while the winner ran: the race was real.
		assertThat(this.refusals.getOrDefault(Reason.ALREADY_RUNNING, 0)).isPositive();
	}

	@Test
	void concurrentRestartsOfAFailedExecutionCreateExactlyOneExecution() throws Exception {
		for (int round = 0; round < ROUNDS; round++) {
			seedOldExecutions(round, 3);
			String asOf = FIRST_AS_OF.plus(Duration.ofDays(round)).toString();
			JobInstance instance = this.fixture.instance("repositoryPurgeJob",
					new JobParametersBuilder().addString("asOf", asOf).toJobParameters());
			JobExecution failed = this.fixture.execution(instance, BatchStatus.FAILED,
					LocalDateTime.now().minusMinutes(1));

			LaunchRace.Result result = LaunchRace.restart(this.callers, CALLERS, this.launchService, failed.getId());
			assertOneWinner(result);
			JobExecution winner = result.started().get(0);

			assertThat(winner.getJobInstance().getInstanceId()).isEqualTo(instance.getInstanceId());
			assertThat(this.jobRepository.getJobExecutions(instance)).extracting(JobExecution::getId)
				.containsExactlyInAnyOrder(failed.getId(), winner.getId());
			JobExecution finished = LaunchRace.awaitEnd(this.jobRepository, this.jobThreads, winner.getId());
			assertThat(finished.getStatus()).as(finished.getExitStatus().getExitDescription())
				.isEqualTo(BatchStatus.COMPLETED);
			assertThat(finished.getExitStatus().getExitDescription())
				.isEqualTo("Removed 18 job-repository rows: 3 job executions, 3 job instances");
		}
		assertThat(purgeInstances()).isEqualTo(ROUNDS);
		assertThat(purgeExecutions()).isEqualTo(2 * ROUNDS);
		assertThat(this.refusals.getOrDefault(Reason.ALREADY_RUNNING, 0)).isPositive();
	}

	@Test
	void concurrentLaunchesOfDifferentInstancesAllStart() throws Exception {
		for (int round = 0; round < 3; round++) {
			List<LaunchRequest> requests = new ArrayList<>();
			for (int caller = 0; caller < CALLERS; caller++) {
				// Reference times in the past: a later purge would delete the others'
				// executions.
				String asOf = FIRST_AS_OF.minus(Duration.ofDays(1 + round * CALLERS + caller)).toString();
				requests.add(new LaunchRequest("repositoryPurgeJob", Map.of("asOf", asOf)));
			}
			LaunchRace.Result result = LaunchRace.launchAll(this.callers, this.launchService, requests);
			assertThat(result.failures()).isEmpty();
			assertThat(result.started()).hasSize(CALLERS)
				.allSatisfy((execution) -> assertThat(
						LaunchRace.awaitEnd(this.jobRepository, this.jobThreads, execution.getId()).getStatus())
					.isEqualTo(BatchStatus.COMPLETED));
		}
		assertThat(purgeInstances()).isEqualTo(3 * CALLERS);
		assertThat(purgeExecutions()).isEqualTo(3 * CALLERS);
	}

	/**
	 * Exactly one caller won; the others were refused as duplicates naming the winner's
	 * execution.
	 */
	private void assertOneWinner(LaunchRace.Result result) {
		assertThat(result.started()).as("failures: %s", result.failures()).hasSize(1);
		JobExecution winner = result.started().get(0);
		assertThat(result.failures()).hasSize(CALLERS - 1).allSatisfy((failure) -> {
			assertThat(failure).isInstanceOf(LaunchRefusedException.class);
			LaunchRefusedException refusal = (LaunchRefusedException) failure;
			assertThat(refusal.getReason()).as(refusal.getMessage())
				.isIn(Reason.ALREADY_RUNNING, Reason.ALREADY_COMPLETE);
			assertThat(refusal.getExecutionId()).as(refusal.getMessage()).isEqualTo(winner.getId());
			this.refusals.merge(refusal.getReason(), 1, Integer::sum);
		});
	}

	/** Executions that ended long before any purge's cut-off, for the purge to delete. */
	private void seedOldExecutions(int round, int count) {
		for (int i = 0; i < count; i++) {
			JobInstance old = this.fixture.instance("nightlyImport", "round-" + round + "-" + i);
			this.fixture.execution(old, BatchStatus.COMPLETED, LocalDateTime.of(2026, 1, 1, 0, 0));
		}
	}

	private void awaitNothingRunning() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE END_TIME IS NULL",
					Long.class), (running) -> running == 0);
	}

	private long purgeInstances() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE WHERE JOB_NAME = 'repositoryPurgeJob'",
				Long.class);
	}

	private long purgeExecutions() {
		return this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I"
						+ " ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID WHERE I.JOB_NAME = 'repositoryPurgeJob'",
				Long.class);
	}

}
