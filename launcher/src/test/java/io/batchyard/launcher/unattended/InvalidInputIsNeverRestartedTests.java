package io.batchyard.launcher.unattended;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.LaunchRequest.Trigger;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;
import io.batchyard.launcher.launch.LaunchRefusedException.Reason;
import io.batchyard.launcher.launch.RestartStatus;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Invalid input is never restarted automatically, even by a policy that restarts every
 * category it may ({@code node-lost, infrastructure, unknown}), with attempts left, for
 * instances a queue or a schedule launched: invalid parameters are refused before
 * anything exists, and a failure on input that is not there is decided
 * {@code invalid-input} with the end and stays the only execution. The control: the same
 * policy restarts an {@code unknown} failure.
 */
@BatchyardTest
@Import(JobRuns.class)
class InvalidInputIsNeverRestartedTests {

	private static final String PURGE = "repositoryPurgeJob";

	private static final String REFERENCE_LOAD = "referenceLoadJob";

	@TempDir
	static Path blobs;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		for (String job : List.of(PURGE, REFERENCE_LOAD)) {
			registry.add("batchyard.jobs." + job + ".restart.on", () -> "node-lost,infrastructure,unknown");
			registry.add("batchyard.jobs." + job + ".restart.max-attempts", () -> "3");
			registry.add("batchyard.jobs." + job + ".restart.backoff", () -> "1s");
		}
		registry.add("batchyard.automatic-restarts.poll-interval", () -> "100ms");
		registry.add("batchyard.enhancements.storage.type", () -> "local");
		registry.add("batchyard.enhancements.storage.directory", () -> blobs.toString());
	}

	@Autowired
	JobLaunchService launchService;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JobRuns jobRuns;

	@AfterEach
	void cleanUp() {
		fault(null);
		this.jobRuns.reset();
		this.jdbc.update("DELETE FROM BATCHYARD_NOTIFICATION");
		this.jdbc.update("DELETE FROM BATCHYARD_INSTANCE_TRIGGER");
	}

	@ParameterizedTest
	@EnumSource(value = Trigger.class, names = { "QUEUE", "SCHEDULE" })
	void invalidParametersAreRefusedBeforeAnythingExistsThatCouldBeRestarted(Trigger trigger) {
		assertThatExceptionOfType(LaunchRefusedException.class)
			.isThrownBy(() -> this.launchService
				.launch(new LaunchRequest(PURGE, Map.of("asOf", "the day before yesterday"), trigger)))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID_PARAMETERS))
			.withMessageContaining("asOf");

		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE WHERE JOB_NAME = '" + PURGE + "'")).isZero();
		assertThat(count("SELECT COUNT(*) FROM BATCHYARD_INSTANCE_TRIGGER WHERE JOB_NAME = '" + PURGE + "'")).isZero();
		assertThat(count("SELECT COUNT(*) FROM BATCHYARD_AUTO_RESTART")).isZero();
	}

	@Test
	void aQueueLaunchWhoseInputIsMissingFailsAsInvalidInputAndIsNeverRestarted() {
		JobExecution failed = this.jobRepository.getJobExecution(launch(
				new LaunchRequest(REFERENCE_LOAD, Map.of("input", "references/not-there.jsonl"), Trigger.QUEUE)));

		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		RestartStatus decision = RestartStatus.of(this.jdbc, failed.getId()).orElseThrow();
		assertThat(decision.state()).isEqualTo(RestartStatus.NONE);
		assertThat(decision.category()).isEqualTo("INVALID_INPUT");
		assertThat(decision.describe()).isEqualTo("no automatic restart: " + ExecutionEnds.INVALID_INPUT);
		// Past the 1 s back-off and many polls: still the only execution.
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.jobRepository.getJobExecutions(failed.getJobInstance()).size() == 1);
		assertThat(count("SELECT COUNT(*) FROM BATCHYARD_AUTO_RESTART")).isOne();
	}

	@Test
	void theSamePolicyRestartsAnUnknownFailure() {
		for (String asOf : List.of("2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z")) {
			this.jobRuns.awaitEnd(this.launchService.launch(new LaunchRequest(PURGE, Map.of("asOf", asOf))).getId());
		}
		fault(PermanentDeleteFault.class);
		JobExecution failed = this.jobRepository.getJobExecution(
				launch(new LaunchRequest(PURGE, Map.of("asOf", "2100-01-01T00:00:00Z"), Trigger.SCHEDULE)));
		fault(null);

		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(RestartStatus.of(this.jdbc, failed.getId()).orElseThrow().category()).isEqualTo("UNKNOWN");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> RestartStatus.of(this.jdbc, failed.getId()).orElseThrow().state(),
					RestartStatus.RESTARTED::equals);
		long restarted = RestartStatus.of(this.jdbc, failed.getId()).orElseThrow().restartExecutionId();
		this.jobRuns.awaitEnd(restarted);
		assertThat(this.jobRepository.getJobExecution(restarted).getStatus()).isEqualTo(BatchStatus.COMPLETED);
	}

	/**
	 * Launches and waits for the end. (Not returning the execution: Spring Batch's test
	 * listeners would take such a method for a factory of step-scope executions.)
	 */
	private long launch(LaunchRequest request) {
		long id = this.launchService.launch(request).getId();
		this.jobRuns.awaitEnd(id);
		return id;
	}

	private void fault(Class<?> trigger) {
		this.jdbc.execute("DROP TRIGGER IF EXISTS PURGE_FAULT");
		if (trigger != null) {
			this.jdbc.execute("CREATE TRIGGER PURGE_FAULT BEFORE DELETE ON BATCH_JOB_EXECUTION FOR EACH ROW CALL \""
					+ trigger.getName() + "\"");
		}
	}

	private long count(String sql) {
		return this.jdbc.queryForObject(sql, Long.class);
	}

}
