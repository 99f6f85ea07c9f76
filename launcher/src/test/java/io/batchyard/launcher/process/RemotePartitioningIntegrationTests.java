package io.batchyard.launcher.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.EmbeddedPostgresServer;
import io.batchyard.test.ReferenceFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Remote partitioning across JVMs: a manager-only node and two worker nodes on one
 * PostgreSQL database and ElasticMQ run a partitioned {@code referenceLoadJob}; one
 * worker is killed with {@code kill -9} in the middle of a partition, the manager's node
 * recovers that partition from the worker's heartbeat, the execution ends FAILED, and a
 * restart runs only that partition, from its last commit. The partitions ran on both
 * workers, and the rows (counted and checksummed), enhancements and recorded skips are
 * those a single node leaves with the unpartitioned step on a database of its own.
 * {@code -Dpartition.lines=400000} runs it at the size of the scale-out issue (the build
 * uses 40,000 lines to keep the suite short).
 */
class RemotePartitioningIntegrationTests {

	private static final int LINES = Integer.getInteger("partition.lines", 40_000);

	private static final Pattern RAN = Pattern.compile("Running partition request step=loadReferenceRangeStep");

	@Test
	void aWorkerKilledMidPartitionCostsOnlyThatPartitionsUncommittedWork(@TempDir Path files, @TempDir Path single,
			@TempDir Path manager, @TempDir Path worker1, @TempDir Path worker2) throws Exception {
		Path references = files.resolve("references.jsonl");
		ReferenceFiles.write(references, LINES, 15);
		String singleDatabase = EmbeddedPostgresServer.newDatabaseUrl();
		String scaledDatabase = EmbeddedPostgresServer.newDatabaseUrl();
		String queue = "partitions-" + UUID.randomUUID().toString().substring(0, 8);
		String[] scaled = { "--spring.datasource.url=" + scaledDatabase, "--spring.datasource.username=postgres",
				"--spring.datasource.password=postgres",
				"--spring.cloud.aws.sqs.endpoint=" + ElasticMqServer.endpoint(),
				"--batchyard.launcher.sqs.create-queues=true", "--batchyard.partitioning.mode=remote",
				"--batchyard.partitioning.queue=" + queue, "--batchyard.partitioning.poll-interval=200ms",
				"--batchyard.partitioning.worker-concurrency=1", "--batchyard.jobs.reference-load.grid-size=4",
				"--batchyard.jobs.reference-load.allowed-directories=" + files,
				// Small chunks: a partition commits often, so the kill lands between
				// commits of one; a short heartbeat timeout: recovery within seconds.
				"--batchyard.jobs.enhancement-import.chunk-size=100", "--batchyard.runner.heartbeat-interval=1s",
				"--batchyard.runner.heartbeat-timeout=5s" };

		CompletableFuture<BatchyardProcess> startingWorker = CompletableFuture
			.supplyAsync(() -> BatchyardProcess.start(worker1, "partition-worker-1", scaled));
		try (BatchyardProcess one = BatchyardProcess.start(single, "partition-single",
				"--spring.datasource.url=" + singleDatabase, "--spring.datasource.username=postgres",
				"--spring.datasource.password=postgres",
				"--batchyard.jobs.reference-load.allowed-directories=" + files);
				BatchyardProcess first = startingWorker.join();
				BatchyardProcess second = BatchyardProcess.start(worker2, "partition-worker-2", scaled);
				BatchyardProcess boss = BatchyardProcess.start(manager, "partition-manager",
						append(scaled, "--batchyard.runner.worker=false"))) {
			long baseline = one.launch("referenceLoadJob", Map.of("input", "file:" + references));
			for (BatchyardProcess worker : List.of(first, second)) {
				await("worker listening").atMost(Duration.ofSeconds(30))
					.until(() -> worker.output().contains("Worker listening to partition queue=" + queue));
			}
			assertThat(boss.output()).contains("Not a partition worker");

			long partitioned = boss.launch("referenceLoadJob", Map.of("input", "file:" + references));

			// Kill worker 1 once one of its partitions has committed some chunks.
			String victim = nodeOf(scaledDatabase, first.pid());
			long killedPartition = await("a partition of worker 1 committed").atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> runningPartitionOf(scaledDatabase, victim), (id) -> id > 0);
			assertThat(first.kill()).isEqualTo(BatchyardProcess.KILLED);
			long committedBeforeKill = readCount(scaledDatabase, killedPartition);
			assertThat(committedBeforeKill).isPositive();

			JsonNode failed = awaitEnd(boss, partitioned);
			assertThat(failed.path("status").asString()).isEqualTo("FAILED");
			assertThat(status(scaledDatabase, killedPartition)).isEqualTo("FAILED");
			assertThat(exitDescription(scaledDatabase, killedPartition))
				.startsWith("runner node " + victim + " stopped heart-beating at ")
				.contains("; recovered by ");

			long restarted = boss.restart(partitioned);
			JsonNode done = awaitEnd(boss, restarted);
			JsonNode baselineDone = awaitEnd(one, baseline);
			assertThat(baselineDone.path("status").asString()).isEqualTo("COMPLETED");
			assertThat(done.path("status").asString()).isEqualTo("COMPLETED");
			assertThat(done.path("exitCode").asString()).isEqualTo(baselineDone.path("exitCode").asString());
			int ranOnFirst = count(RAN, first.output());
			int ranOnSecond = count(RAN, second.output());
			assertThat(ranOnFirst).as("partitions run by worker 1").isPositive();
			assertThat(ranOnSecond).as("partitions run by worker 2").isPositive();
			// Four partitions, one of them run twice: killed, then resumed by the
			// restart.
			assertThat(ranOnFirst + ranOnSecond).isEqualTo(5);
			assertThat(count(RAN, boss.output())).isZero();
			// Only the killed partition ran again, from its last commit: every line was
			// read once in a committed chunk.
			assertThat(partitionsRun(scaledDatabase, restarted)).isEqualTo(1);
			assertThat(committedReads(scaledDatabase) + committedBeforeKill).isEqualTo(LINES);
		}

		State expected = State.of(singleDatabase);
		State actual = State.of(scaledDatabase);
		assertThat(expected.references()).isGreaterThan(LINES * 9 / 10);
		assertThat(expected.skips()).isPositive();
		assertThat(actual).isEqualTo(expected);
	}

	private static String nodeOf(String url, long pid) {
		return await("node of pid " + pid).atMost(Duration.ofSeconds(30))
			.until(() -> query(url, "SELECT NODE_ID FROM BATCHYARD_NODE WHERE PID = " + pid), (id) -> id != null);
	}

	/**
	 * A partition this node runs that has committed at least two chunks, or 0.
	 */
	private static long runningPartitionOf(String url, String node) throws SQLException {
		String id = query(url,
				"SELECT MIN(S.STEP_EXECUTION_ID) FROM BATCH_STEP_EXECUTION S JOIN BATCHYARD_NODE_PARTITION P"
						+ " ON P.STEP_EXECUTION_ID = S.STEP_EXECUTION_ID WHERE P.NODE_ID = '" + node
						+ "' AND S.STATUS = 'STARTED' AND S.COMMIT_COUNT >= 2");
		return (id != null) ? Long.parseLong(id) : 0;
	}

	private static long readCount(String url, long stepExecution) throws SQLException {
		return Long.parseLong(
				query(url, "SELECT READ_COUNT FROM BATCH_STEP_EXECUTION WHERE STEP_EXECUTION_ID = " + stepExecution));
	}

	private static String status(String url, long stepExecution) throws SQLException {
		return query(url, "SELECT STATUS FROM BATCH_STEP_EXECUTION WHERE STEP_EXECUTION_ID = " + stepExecution);
	}

	private static String exitDescription(String url, long stepExecution) throws SQLException {
		return query(url, "SELECT EXIT_MESSAGE FROM BATCH_STEP_EXECUTION WHERE STEP_EXECUTION_ID = " + stepExecution);
	}

	private static long partitionsRun(String url, long jobExecution) throws SQLException {
		return Long.parseLong(query(url, "SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = "
				+ jobExecution + " AND STEP_NAME LIKE 'loadReferenceRangeStep:%'"));
	}

	/** Lines read by the partitions that completed, over both executions. */
	private static long committedReads(String url) throws SQLException {
		return Long.parseLong(query(url, "SELECT COALESCE(SUM(READ_COUNT), 0) FROM BATCH_STEP_EXECUTION"
				+ " WHERE STEP_NAME LIKE 'loadReferenceRangeStep:%' AND STATUS = 'COMPLETED'"));
	}

	private static String query(String url, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			return rs.next() ? rs.getString(1) : null;
		}
	}

	private static JsonNode awaitEnd(BatchyardProcess application, long execution) {
		return await("execution " + execution).atMost(Duration.ofMinutes(5))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> application.execution(execution),
					(json) -> !json.path("status").asString().matches("STARTING|STARTED|STOPPING"));
	}

	private static int count(Pattern pattern, String output) {
		Matcher matcher = pattern.matcher(output);
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	private static String[] append(String[] settings, String setting) {
		String[] all = java.util.Arrays.copyOf(settings, settings.length + 1);
		all[settings.length] = setting;
		return all;
	}

	/**
	 * What a load leaves, but creation times and which instance loaded a row.
	 */
	record State(long references, String referencesChecksum, long enhancements, String enhancementsChecksum, long skips,
			String skipsChecksum) {

		static State of(String url) throws SQLException {
			try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres")) {
				String[] references = digest(connection,
						"SELECT id, visibility, identifiers, load_line FROM reference ORDER BY id");
				String[] enhancements = digest(connection, "SELECT id, reference_id, enhancement_type, source,"
						+ " visibility, content, fingerprint FROM enhancement ORDER BY id");
				String[] skips = digest(connection,
						"SELECT PHASE, ITEM_POSITION, REASON FROM BATCHYARD_SKIPPED_ITEM ORDER BY ITEM_POSITION");
				return new State(Long.parseLong(references[0]), references[1], Long.parseLong(enhancements[0]),
						enhancements[1], Long.parseLong(skips[0]), skips[1]);
			}
		}

		private static String[] digest(Connection connection, String sql) throws SQLException {
			try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
				MessageDigest sha = MessageDigest.getInstance("SHA-256");
				long rows = 0;
				int columns = rs.getMetaData().getColumnCount();
				while (rs.next()) {
					rows++;
					for (int c = 1; c <= columns; c++) {
						sha.update(String.valueOf(rs.getString(c)).getBytes(StandardCharsets.UTF_8));
						sha.update((byte) 0x1F);
					}
					sha.update((byte) '\n');
				}
				return new String[] { String.valueOf(rows), HexFormat.of().formatHex(sha.digest()) };
			}
			catch (java.security.NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
