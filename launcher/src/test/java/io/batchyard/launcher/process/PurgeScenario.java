package io.batchyard.launcher.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.batchyard.launcher.BatchyardApplication;
import io.batchyard.launcher.cli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the process tests share: a seeded repository, the uninterrupted baseline run, and
 * the exact end state of a complete purge.
 */
final class PurgeScenario {

	static final String JOB = "repositoryPurgeJob";

	static final int CHUNK_SIZE = 20;

	/** A first run slow enough to be interrupted mid-step: 100 ms before each chunk. */
	static final String[] SLOW_PURGE = { "--batchyard.housekeeping.chunk-size=" + CHUNK_SIZE,
			"--batchyard.housekeeping.chunk-pause=100ms" };

	/** The restart: same chunk size (the reader pages by it), no pause. */
	static final String[] FAST_PURGE = { "--batchyard.housekeeping.chunk-size=" + CHUNK_SIZE,
			"--batchyard.housekeeping.chunk-pause=0s" };

	private PurgeScenario() {
	}

	static RepositoryDatabase seeded(Path workingDirectory, PurgeSeed seed) {
		RepositoryDatabase database = new RepositoryDatabase(workingDirectory);
		database.migrate();
		seed.insert(database);
		assertThat(database.count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")).isEqualTo(seed.allExecutions().size());
		return database;
	}

	/**
	 * A second copy of a seeded repository (cheaper than seeding it again).
	 * @param seeded the working directory of the seeded repository, closed
	 * @param workingDirectory where the copy goes
	 * @return the copy
	 */
	static RepositoryDatabase copy(Path seeded, Path workingDirectory) {
		try {
			Files.createDirectories(workingDirectory.resolve("var"));
			Files.copy(seeded.resolve("var/batchyard.mv.db"), workingDirectory.resolve("var/batchyard.mv.db"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new RepositoryDatabase(workingDirectory);
	}

	/**
	 * The uninterrupted purge of a second copy of the seed, with the command line in this
	 * JVM, started in the background while a process test waits for its application.
	 * @param database the copy
	 * @return the command's exit code, once it ended
	 */
	static CompletableFuture<Integer> baseline(RepositoryDatabase database) {
		String[] args = { "start", JOB, "asOf=" + PurgeSeed.AS_OF, "--spring.datasource.url=" + database.url(),
				"--batchyard.housekeeping.chunk-size=" + CHUNK_SIZE, "--logging.level.root=WARN" };
		return CompletableFuture.supplyAsync(() -> CommandLine.run(BatchyardApplication.class, args));
	}

	static List<Map<String, Object>> purgeExecutions(RepositoryDatabase database) {
		return database.rows("SELECT E.JOB_EXECUTION_ID, E.JOB_INSTANCE_ID, E.STATUS, E.EXIT_CODE, E.EXIT_MESSAGE"
				+ " FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID"
				+ " WHERE I.JOB_NAME = ? ORDER BY E.JOB_EXECUTION_ID", JOB);
	}

	static Map<String, Object> purgeStep(RepositoryDatabase database, long jobExecutionId) {
		List<Map<String, Object>> steps = database.rows("SELECT S.STEP_EXECUTION_ID, S.STATUS, S.READ_COUNT,"
				+ " S.WRITE_COUNT, S.COMMIT_COUNT, C.SHORT_CONTEXT FROM BATCH_STEP_EXECUTION S"
				+ " JOIN BATCH_STEP_EXECUTION_CONTEXT C ON C.STEP_EXECUTION_ID = S.STEP_EXECUTION_ID"
				+ " WHERE S.JOB_EXECUTION_ID = ?", jobExecutionId);
		assertThat(steps).as("step executions of execution %s", jobExecutionId).hasSize(1);
		return steps.get(0);
	}

	/**
	 * Seed executions still in the repository.
	 * @param database the repository
	 * @param seed the seed
	 * @return their ids
	 */
	static Set<Long> remainingSeedExecutions(RepositoryDatabase database, PurgeSeed seed) {
		Set<Long> remaining = new HashSet<>(database.longs("SELECT JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION"));
		remaining.retainAll(seed.allExecutions());
		return remaining;
	}

	/**
	 * Asserts exactly what an uninterrupted purge of the seed leaves: the surviving
	 * executions each with all their rows, and no orphan in any Spring Batch table.
	 * @param database the repository after the purge
	 * @param seed the seed
	 */
	static void assertPurgedExactly(RepositoryDatabase database, PurgeSeed seed) {
		Set<Long> seedIds = seed.allExecutions();
		List<Long> others = database
			.longs("SELECT E.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I"
					+ " ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID WHERE I.JOB_NAME <> ?", JOB);
		assertThat(new HashSet<>(others)).as("job executions left of the seed")
			.isEqualTo(seed.survivingExecutions())
			.allMatch(seedIds::contains);
		Map<Long, List<Integer>> shapes = seed.survivingShapes();
		List<Map<String, Object>> rows = database.rows("SELECT E.JOB_EXECUTION_ID,"
				+ " (SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_PARAMS P WHERE P.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID) AS PARAMS,"
				+ " (SELECT COUNT(*) FROM BATCH_STEP_EXECUTION S WHERE S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID) AS STEPS,"
				+ " (SELECT COUNT(*) FROM BATCH_STEP_EXECUTION_CONTEXT C JOIN BATCH_STEP_EXECUTION S"
				+ " ON S.STEP_EXECUTION_ID = C.STEP_EXECUTION_ID WHERE S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID) AS STEP_CONTEXTS,"
				+ " (SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_CONTEXT X WHERE X.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID) AS CONTEXTS"
				+ " FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID"
				+ " WHERE I.JOB_NAME <> ?", JOB);
		assertThat(rows).hasSize(shapes.size()).allSatisfy((row) -> {
			List<Integer> shape = shapes.get(((Number) row.get("JOB_EXECUTION_ID")).longValue());
			assertThat(List.of(number(row, "PARAMS"), number(row, "STEPS"), number(row, "STEP_CONTEXTS"),
					number(row, "CONTEXTS")))
				.as("parameters, steps, step contexts, job context of surviving execution %s",
						row.get("JOB_EXECUTION_ID"))
				.containsExactly(shape.get(0), shape.get(1), shape.get(1), 1);
		});
		assertThat(database.count("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE I WHERE NOT EXISTS"
				+ " (SELECT 1 FROM BATCH_JOB_EXECUTION E WHERE E.JOB_INSTANCE_ID = I.JOB_INSTANCE_ID)"))
			.as("instances without executions")
			.isZero();
		assertThat(database.count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_PARAMS P WHERE NOT EXISTS"
				+ " (SELECT 1 FROM BATCH_JOB_EXECUTION E WHERE E.JOB_EXECUTION_ID = P.JOB_EXECUTION_ID)"))
			.as("orphan parameters")
			.isZero();
		assertThat(database.count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_CONTEXT X WHERE NOT EXISTS"
				+ " (SELECT 1 FROM BATCH_JOB_EXECUTION E WHERE E.JOB_EXECUTION_ID = X.JOB_EXECUTION_ID)"))
			.as("orphan job execution contexts")
			.isZero();
		assertThat(database.count("SELECT COUNT(*) FROM BATCH_STEP_EXECUTION S WHERE NOT EXISTS"
				+ " (SELECT 1 FROM BATCH_JOB_EXECUTION E WHERE E.JOB_EXECUTION_ID = S.JOB_EXECUTION_ID)"))
			.as("orphan step executions")
			.isZero();
		assertThat(database.count("SELECT COUNT(*) FROM BATCH_STEP_EXECUTION_CONTEXT C WHERE NOT EXISTS"
				+ " (SELECT 1 FROM BATCH_STEP_EXECUTION S WHERE S.STEP_EXECUTION_ID = C.STEP_EXECUTION_ID)"))
			.as("orphan step execution contexts")
			.isZero();
		assertThat(database.count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION E WHERE NOT EXISTS"
				+ " (SELECT 1 FROM BATCH_JOB_INSTANCE I WHERE I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID)"))
			.as("executions without instance")
			.isZero();
	}

	/**
	 * Asserts the uninterrupted baseline: one COMPLETED execution that read every
	 * candidate once, the exact survivors, and the expected report.
	 * @param database the baseline's repository
	 * @param seed the seed
	 * @return the baseline's exit description
	 */
	static String assertBaseline(RepositoryDatabase database, PurgeSeed seed) {
		List<Map<String, Object>> executions = purgeExecutions(database);
		assertThat(executions).hasSize(1);
		assertThat(executions.get(0).get("STATUS")).isEqualTo("COMPLETED");
		Map<String, Object> step = purgeStep(database, number(executions.get(0), "JOB_EXECUTION_ID"));
		assertThat(number(step, "READ_COUNT")).isEqualTo(seed.purgedExecutions().size());
		assertPurgedExactly(database, seed);
		String report = (String) executions.get(0).get("EXIT_MESSAGE");
		assertThat(report).isEqualTo(seed.expectedReport());
		return report;
	}

	/**
	 * Asserts the end state after an interrupted purge and its restart: one instance, two
	 * executions, the second resumed where the first committed last, nothing read twice,
	 * the report and the survivors of an uninterrupted run.
	 */
	static void assertResumedPurge(RepositoryDatabase database, PurgeSeed seed, long first, String firstStatus,
			int committed, String expectedReport) {
		int candidates = seed.purgedExecutions().size();

		List<Map<String, Object>> executions = purgeExecutions(database);
		assertThat(executions).extracting((row) -> row.get("STATUS")).containsExactly(firstStatus, "COMPLETED");
		assertThat(executions).extracting((row) -> row.get("JOB_INSTANCE_ID"))
			.containsOnly(executions.get(0).get("JOB_INSTANCE_ID"));
		assertThat(number(purgeStep(database, first), "READ_COUNT")).as("the recovered step's commits")
			.isEqualTo(committed);
		Map<String, Object> resumed = purgeStep(database, number(executions.get(1), "JOB_EXECUTION_ID"));
		assertThat(committed + number(resumed, "READ_COUNT")).as("candidates read over both executions")
			.isEqualTo(candidates);
		assertThat(number(resumed, "WRITE_COUNT")).isEqualTo(candidates - committed);
		assertThat(executions.get(1).get("EXIT_MESSAGE")).isEqualTo(expectedReport);
		assertPurgedExactly(database, seed);
	}

	static int number(Map<String, Object> row, String column) {
		return ((Number) row.get(column)).intValue();
	}

}
