package io.batchyard.launcher.process;

import java.nio.file.Path;
import java.time.Duration;
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
 * SIGTERM in the middle of a purge: the node stops its running execution at a chunk
 * boundary, records it STOPPED and exits by itself; a restart resumes from there and
 * leaves exactly what an uninterrupted purge leaves.
 */
class GracefulShutdownIntegrationTests {

	@Test
	void purgeStoppedBySigtermEndsStoppedAndItsRestartCompletesTheWork(@TempDir Path terminated,
			@TempDir Path uninterrupted) {
		PurgeSeed seed = new PurgeSeed(2200);
		int candidates = seed.purgedExecutions().size();
		RepositoryDatabase database = PurgeScenario.seeded(terminated, seed);
		RepositoryDatabase baselineDatabase = PurgeScenario.copy(terminated, uninterrupted);

		CompletableFuture<Integer> baseline = PurgeScenario.baseline(baselineDatabase);
		long first;
		try (BatchyardProcess application = BatchyardProcess.start(terminated, "sigterm-first",
				PurgeScenario.SLOW_PURGE)) {
			first = application.launch(JOB, Map.of("asOf", PurgeSeed.AS_OF));
			JsonNode running = await("some chunks of execution " + first + " committed").atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> application.execution(first),
						(execution) -> written(execution) >= 5 * PurgeScenario.CHUNK_SIZE);
			assertThat(running.path("status").asString()).isEqualTo("STARTED");
			assertThat(written(running)).isLessThan(candidates / 2);
			assertThat(application.terminate(Duration.ofSeconds(45))).as("exit value after SIGTERM")
				.isEqualTo(BatchyardProcess.TERMINATED);
			assertThat(application.output())
				.contains("Shutting down: stopping job=repositoryPurgeJob execution=" + first)
				.doesNotContain("still running: another node recovers them");
		}
		assertThat(baseline.join()).as("exit code of the uninterrupted purge").isZero();
		String expectedReport = PurgeScenario.assertBaseline(baselineDatabase, seed);

		// Stopped at a chunk boundary: job and step STOPPED, and the deletes of every
		// chunk the step counted are there.
		Map<String, Object> stopped = PurgeScenario.purgeExecutions(database).get(0);
		assertThat(stopped.get("STATUS")).isEqualTo("STOPPED");
		assertThat(stopped.get("EXIT_CODE")).isEqualTo("STOPPED");
		Map<String, Object> stoppedStep = PurgeScenario.purgeStep(database, first);
		assertThat(stoppedStep.get("STATUS")).isEqualTo("STOPPED");
		int committed = number(stoppedStep, "READ_COUNT");
		assertThat(committed).isPositive().isLessThan(candidates).isEqualTo(number(stoppedStep, "WRITE_COUNT"));
		assertThat(seed.allExecutions().size() - PurgeScenario.remainingSeedExecutions(database, seed).size())
			.as("seed executions deleted before the shutdown")
			.isEqualTo(committed);

		try (BatchyardProcess application = BatchyardProcess.start(terminated, "sigterm-second",
				PurgeScenario.FAST_PURGE)) {
			JsonNode execution = application.execution(first);
			assertThat(execution.path("status").asString()).isEqualTo("STOPPED");
			assertThat(execution.path("allowedActions").toString()).contains("restart");
			long second = application.restart(first);
			JsonNode completed = await("restarted execution " + second).atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> application.execution(second),
						(each) -> !each.path("status").asString().matches("STARTING|STARTED"));
			assertThat(completed.path("status").asString()).isEqualTo("COMPLETED");
			assertThat(completed.path("exitDescription").asString()).isEqualTo(expectedReport);
			PurgeScenario.assertResumedPurge(database, seed, first, "STOPPED", committed, expectedReport);
		}
	}

	private static long written(JsonNode execution) {
		JsonNode steps = execution.path("steps");
		return steps.isEmpty() ? 0 : steps.get(0).path("writeCount").asLong();
	}

}
