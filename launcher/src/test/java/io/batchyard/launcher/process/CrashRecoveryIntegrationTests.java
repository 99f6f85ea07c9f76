package io.batchyard.launcher.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static io.batchyard.launcher.process.PurgeScenario.JOB;
import static io.batchyard.launcher.process.PurgeScenario.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 in the middle of a purge: the next node recovers the execution once the dead
 * node's heartbeat expires, and the restart resumes after the last committed chunk and
 * leaves exactly what an uninterrupted purge leaves.
 */
class CrashRecoveryIntegrationTests {

	@Test
	void purgeKilledMidStepIsRecoveredAndItsRestartResumesFromTheLastCommit(@TempDir Path crashed,
			@TempDir Path uninterrupted) {
		PurgeSeed seed = new PurgeSeed(2200);
		int candidates = seed.purgedExecutions().size();
		RepositoryDatabase database = PurgeScenario.seeded(crashed, seed);
		RepositoryDatabase baselineDatabase = PurgeScenario.copy(crashed, uninterrupted);

		// The uninterrupted baseline runs in this JVM while the application starts and
		// works.
		CompletableFuture<Integer> baseline = PurgeScenario.baseline(baselineDatabase);
		long first;
		try (BatchyardProcess application = BatchyardProcess.start(crashed, "crash-first", PurgeScenario.SLOW_PURGE)) {
			first = application.launch(JOB, Map.of("asOf", PurgeSeed.AS_OF));
			JsonNode running = await("some chunks of execution " + first + " committed").atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> application.execution(first),
						(execution) -> written(execution) >= 5 * PurgeScenario.CHUNK_SIZE);
			assertThat(running.path("status").asString()).isEqualTo("STARTED");
			assertThat(written(running)).isLessThan(candidates / 2);
			assertThat(application.kill()).as("exit value of kill -9 (SIGKILL)").isEqualTo(BatchyardProcess.KILLED);
			assertThat(application.output()).doesNotContain("Shutting down: stopping job=");
		}
		assertThat(baseline.join()).as("exit code of the uninterrupted purge").isZero();
		String expectedReport = PurgeScenario.assertBaseline(baselineDatabase, seed);

		// The crash left the execution STARTED, and every chunk whose deletes committed
		// counted in the step: its deletes and its state commit in the same transaction.
		assertThat(database.string("SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?", first))
			.isEqualTo("STARTED");
		Map<String, Object> crashedStep = PurgeScenario.purgeStep(database, first);
		int committed = number(crashedStep, "READ_COUNT");
		assertThat(committed).isPositive().isLessThan(candidates).isEqualTo(number(crashedStep, "WRITE_COUNT"));
		assertThat(seed.allExecutions().size() - PurgeScenario.remainingSeedExecutions(database, seed).size())
			.as("seed executions deleted by the crashed run")
			.isEqualTo(committed);
		// Issue 17: COMMIT_COUNT as the file holds it after the kill matches the deletes
		// (one full chunk per commit), and the recovery below keeps it.
		int commits = number(crashedStep, "COMMIT_COUNT");
		assertThat(commits * PurgeScenario.CHUNK_SIZE).as("chunks committed before the kill").isEqualTo(committed);

		try (BatchyardProcess application = BatchyardProcess.start(crashed, "crash-second", PurgeScenario.FAST_PURGE)) {
			JsonNode recovered = await("heartbeat recovery of execution " + first).atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> application.execution(first),
						(execution) -> !execution.path("status").asString().equals("STARTED"));
			assertThat(recovered.path("status").asString()).isEqualTo("FAILED");
			assertThat(recovered.path("allowedActions").toString()).contains("restart");
			assertThat(application.output()).contains("Recovered job=repositoryPurgeJob execution=" + first);
			Map<String, Object> recoveredStep = PurgeScenario.purgeStep(database, first);
			assertThat(recoveredStep.get("STATUS")).isEqualTo("FAILED");
			assertThat(number(recoveredStep, "COMMIT_COUNT")).as("commits of the recovered step").isEqualTo(commits);
			assertThat(number(recoveredStep, "READ_COUNT")).isEqualTo(committed);
			assertThat(number(recoveredStep, "WRITE_COUNT")).isEqualTo(committed);

			long second = application.restart(first);
			JsonNode completed = await("restarted execution " + second).atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> application.execution(second),
						(execution) -> !execution.path("status").asString().matches("STARTING|STARTED"));
			assertThat(completed.path("status").asString()).isEqualTo("COMPLETED");
			assertThat(completed.path("exitDescription").asString()).isEqualTo(expectedReport);
			assertThat(completed.path("steps").get(0).path("readCount").asLong()).isEqualTo(candidates - committed);
			// Read while the application runs: closing it kills the process.
			PurgeScenario.assertResumedPurge(database, seed, first, "FAILED", committed, expectedReport);
		}
	}

	private static long written(JsonNode execution) {
		JsonNode steps = execution.path("steps");
		return steps.isEmpty() ? 0 : steps.get(0).path("writeCount").asLong();
	}

}
