package io.batchyard.launcher.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

import io.batchyard.jobs.enhancement.BlobKeys;
import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.EmbeddedPostgresServer;
import io.batchyard.test.ReferenceFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Remote partitioning across JVMs: a manager-only node and two worker nodes on one
 * PostgreSQL database and ElasticMQ run a partitioned job; one worker is killed with
 * {@code kill -9} in the middle of a partition, the manager's node recovers that
 * partition from the worker's heartbeat, the execution ends FAILED, and a restart runs
 * only that partition, from its last commit. The partitions ran on both workers, and the
 * end state equals what a single node leaves with the unpartitioned step on a database of
 * its own: for {@code referenceLoadJob} the rows (counted and checksummed), enhancements
 * and recorded skips; for {@code enhancementImportJob} the validation report byte for
 * byte, the entries, enhancements and pending statuses.
 * <p>
 * The four JVMs start once for both tests (a killed worker is replaced before the next
 * test; each test leaves empty domain tables behind). {@code -Dpartition.lines=400000}
 * runs the reference load at the size of the scale-out issue (the build uses 40,000 lines
 * to keep the suite short); {@code -Dpartition.results} sets the number of requested
 * references of the import (20,000; its file has a quarter more lines).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemotePartitioningIntegrationTests {

	private static final int LINES = Integer.getInteger("partition.lines", 40_000);

	private static final int RESULTS = Integer.getInteger("partition.results", 20_000);

	private static final String REFERENCE_RANGE_STEP = "loadReferenceRangeStep";

	private static final String IMPORT_RANGE_STEP = "importEnhancementRangeStep";

	private static final String DOMAIN_TABLES = "robot_result_validation_entry, robot_result_candidate, enhancement,"
			+ " pending_enhancement, robot_enhancement_batch, enhancement_request, reference, BATCHYARD_SKIPPED_ITEM";

	private Path files;

	private Path singleBlobs;

	private Path scaledBlobs;

	private Path root;

	private String singleDatabase;

	private String scaledDatabase;

	private String queue;

	private String[] scaled;

	private BatchyardProcess single;

	private BatchyardProcess manager;

	private final BatchyardProcess[] workers = new BatchyardProcess[2];

	@BeforeAll
	void startNodes(@TempDir Path root) throws IOException {
		this.root = root;
		this.files = Files.createDirectories(root.resolve("files"));
		this.singleBlobs = Files.createDirectories(root.resolve("single-blobs"));
		this.scaledBlobs = Files.createDirectories(root.resolve("scaled-blobs"));
		this.singleDatabase = EmbeddedPostgresServer.newDatabaseUrl();
		this.scaledDatabase = EmbeddedPostgresServer.newDatabaseUrl();
		this.queue = "partitions-" + UUID.randomUUID().toString().substring(0, 8);
		this.scaled = new String[] { "--spring.datasource.url=" + this.scaledDatabase,
				"--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
				"--spring.cloud.aws.sqs.endpoint=" + ElasticMqServer.endpoint(),
				"--batchyard.launcher.sqs.create-queues=true", "--batchyard.partitioning.mode=remote",
				"--batchyard.partitioning.queue=" + this.queue, "--batchyard.partitioning.poll-interval=200ms",
				"--batchyard.partitioning.worker-concurrency=1", "--batchyard.jobs.reference-load.grid-size=4",
				"--batchyard.jobs.enhancement-import.grid-size=4",
				"--batchyard.jobs.reference-load.allowed-directories=" + this.files,
				"--batchyard.enhancements.storage.directory=" + this.scaledBlobs,
				// Small chunks (both jobs): a partition commits often, so the kill lands
				// between commits of one; a short heartbeat timeout: recovery within
				// seconds.
				"--batchyard.jobs.enhancement-import.chunk-size=100", "--batchyard.runner.heartbeat-interval=1s",
				"--batchyard.runner.heartbeat-timeout=5s" };
		CompletableFuture<BatchyardProcess> startingWorker = CompletableFuture.supplyAsync(() -> startWorker(0));
		this.single = BatchyardProcess.start(Files.createDirectories(root.resolve("single")), "partition-single",
				"--spring.datasource.url=" + this.singleDatabase, "--spring.datasource.username=postgres",
				"--spring.datasource.password=postgres",
				"--batchyard.jobs.reference-load.allowed-directories=" + this.files,
				"--batchyard.enhancements.storage.directory=" + this.singleBlobs);
		this.workers[0] = startingWorker.join();
		this.workers[1] = startWorker(1);
		this.manager = BatchyardProcess.start(Files.createDirectories(root.resolve("manager")), "partition-manager",
				append(this.scaled, "--batchyard.runner.worker=false"));
		assertThat(this.manager.output()).contains("Not a partition worker");
	}

	private BatchyardProcess startWorker(int index) {
		try {
			return BatchyardProcess.start(Files.createDirectories(this.root.resolve("worker-" + index)),
					"partition-worker-" + (index + 1), this.scaled);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/** Replaces the worker a test killed, so that each test has two. */
	@BeforeEach
	void twoWorkersListening() {
		for (int i = 0; i < this.workers.length; i++) {
			if (!this.workers[i].alive()) {
				this.workers[i].close();
				this.workers[i] = startWorker(i);
			}
			BatchyardProcess worker = this.workers[i];
			await("worker listening").atMost(Duration.ofSeconds(30))
				.until(() -> worker.output().contains("Worker listening to partition queue=" + this.queue));
		}
	}

	@AfterEach
	void emptyDomainTables() throws SQLException {
		for (String url : List.of(this.singleDatabase, this.scaledDatabase)) {
			try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
					Statement statement = connection.createStatement()) {
				statement.execute("TRUNCATE " + DOMAIN_TABLES);
			}
		}
	}

	@AfterAll
	void stopNodes() {
		for (BatchyardProcess process : new BatchyardProcess[] { this.manager, this.workers[0], this.workers[1],
				this.single }) {
			if (process != null) {
				process.close();
			}
		}
	}

	@Test
	void referenceLoadWorkerKilledMidPartitionCostsOnlyThatPartitionsUncommittedWork() throws Exception {
		Path references = this.files.resolve("references.jsonl");
		ReferenceFiles.write(references, LINES, 15);
		Map<String, String> parameters = Map.of("input", "file:" + references);
		long baseline = this.single.launch("referenceLoadJob", parameters);

		killOneWorkerAndRestart("referenceLoadJob", parameters, REFERENCE_RANGE_STEP, LINES, baseline);

		LoadState expected = LoadState.of(this.singleDatabase);
		LoadState actual = LoadState.of(this.scaledDatabase);
		assertThat(expected.references()).isGreaterThan(LINES * 9 / 10);
		assertThat(expected.skips()).isPositive();
		assertThat(actual).isEqualTo(expected);
	}

	@Test
	void enhancementImportWorkerKilledMidPartitionLeavesTheSameReportAndRows() throws Exception {
		RobotResultSeed seed = new RobotResultSeed(RESULTS);
		for (String url : List.of(this.singleDatabase, this.scaledDatabase)) {
			seed.insertImportingBatch(url);
		}
		seed.writeResult(this.singleBlobs);
		seed.writeResult(this.scaledBlobs);
		Map<String, String> parameters = Map.of("batchId", RobotResultSeed.BATCH.toString());
		long baseline = this.single.launch("enhancementImportJob", parameters);

		killOneWorkerAndRestart("enhancementImportJob", parameters, IMPORT_RANGE_STEP, seed.lines(), baseline);

		Path report = Path.of(BlobKeys.validationResult(RobotResultSeed.BATCH));
		byte[] expectedReport = Files.readAllBytes(this.singleBlobs.resolve(report));
		assertThat(Files.readAllBytes(this.scaledBlobs.resolve(report))).isEqualTo(expectedReport);
		// One entry per line but the blank ones and per requested reference no line
		// names: no line lost or entered twice.
		assertThat(seed.missing()).isGreaterThan(RobotResultSeed.MISSING);
		assertThat(new String(expectedReport, StandardCharsets.UTF_8).lines().count()).isEqualTo(seed.entries());
		ImportState expected = ImportState.of(this.singleDatabase);
		ImportState actual = ImportState.of(this.scaledDatabase);
		assertThat(expected.entries().rows()).isEqualTo(seed.entries());
		assertThat(expected.enhancements().rows()).isGreaterThan(RESULTS / 2);
		assertThat(expected.pending().rows()).isEqualTo(seed.requested());
		assertThat(actual).isEqualTo(expected);
		assertThat(query(this.scaledDatabase, "SELECT COUNT(*) FROM robot_result_candidate")).isEqualTo("0");
	}

	/**
	 * Launches the job on the manager, kills worker 1 with kill -9 once one of its
	 * partitions has committed twice, waits for the FAILED end, restarts it, and checks
	 * that only the killed partition ran again, from its last commit, and that the
	 * partitions ran on both workers; the single node's baseline ends with the same exit
	 * code.
	 */
	private void killOneWorkerAndRestart(String job, Map<String, String> parameters, String rangeStep, long lines,
			long baseline) throws SQLException {
		BatchyardProcess first = this.workers[0];
		BatchyardProcess second = this.workers[1];
		Pattern ran = Pattern.compile("Running partition request step=" + rangeStep + "\\b");
		long partitioned = this.manager.launch(job, parameters);

		String victim = nodeOf(this.scaledDatabase, first.pid());
		long killedPartition = await("a partition of worker 1 committed").atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> runningPartitionOf(this.scaledDatabase, victim), (id) -> id > 0);
		assertThat(first.kill()).isEqualTo(BatchyardProcess.KILLED);
		long committedBeforeKill = readCount(this.scaledDatabase, killedPartition);
		assertThat(committedBeforeKill).isPositive();

		JsonNode failed = awaitEnd(this.manager, partitioned);
		assertThat(failed.path("status").asString()).isEqualTo("FAILED");
		assertThat(status(this.scaledDatabase, killedPartition)).isEqualTo("FAILED");
		assertThat(exitDescription(this.scaledDatabase, killedPartition))
			.startsWith("runner node " + victim + " stopped heart-beating at ")
			.contains("; recovered by ");

		long restarted = this.manager.restart(partitioned);
		JsonNode done = awaitEnd(this.manager, restarted);
		JsonNode baselineDone = awaitEnd(this.single, baseline);
		assertThat(baselineDone.path("status").asString()).isEqualTo("COMPLETED");
		assertThat(done.path("status").asString()).isEqualTo("COMPLETED");
		assertThat(done.path("exitCode").asString()).isEqualTo(baselineDone.path("exitCode").asString());
		int ranOnFirst = count(ran, first.output());
		int ranOnSecond = count(ran, second.output());
		assertThat(ranOnFirst).as("partitions run by worker 1").isPositive();
		assertThat(ranOnSecond).as("partitions run by worker 2").isPositive();
		// Four partitions, one of them run twice: killed, then resumed by the restart.
		assertThat(ranOnFirst + ranOnSecond).isEqualTo(5);
		assertThat(count(ran, this.manager.output())).isZero();
		// Only the killed partition ran again, from its last commit: every line was read
		// once in a committed chunk.
		assertThat(partitionsRun(this.scaledDatabase, restarted, rangeStep)).isEqualTo(1);
		assertThat(committedReads(this.scaledDatabase, rangeStep) + committedBeforeKill).isEqualTo(lines);
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

	private static long partitionsRun(String url, long jobExecution, String rangeStep) throws SQLException {
		return Long.parseLong(query(url, "SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = "
				+ jobExecution + " AND STEP_NAME LIKE '" + rangeStep + ":%'"));
	}

	/** Lines read by the partitions that completed, over both executions. */
	private static long committedReads(String url, String rangeStep) throws SQLException {
		return Long.parseLong(query(url, "SELECT COALESCE(SUM(READ_COUNT), 0) FROM BATCH_STEP_EXECUTION"
				+ " WHERE STEP_NAME LIKE '" + rangeStep + ":%' AND STATUS = 'COMPLETED'"));
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

	/** Rows of a query, counted and checksummed. */
	record Digest(long rows, String sha256) {

		static Digest of(Connection connection, String sql) throws SQLException {
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
				return new Digest(rows, HexFormat.of().formatHex(sha.digest()));
			}
			catch (java.security.NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * What a load leaves, but creation times and which instance loaded a row.
	 */
	record LoadState(Digest referenceRows, Digest enhancements, Digest skipRows) {

		static LoadState of(String url) throws SQLException {
			try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres")) {
				return new LoadState(
						Digest.of(connection,
								"SELECT id, visibility, identifiers, load_line FROM reference ORDER BY id"),
						Digest.of(connection,
								"SELECT id, reference_id, enhancement_type, source, visibility, content, fingerprint"
										+ " FROM enhancement ORDER BY id"),
						Digest.of(connection, "SELECT PHASE, ITEM_POSITION, REASON FROM BATCHYARD_SKIPPED_ITEM"
								+ " ORDER BY ITEM_POSITION"));
			}
		}

		long references() {
			return this.referenceRows.rows();
		}

		long skips() {
			return this.skipRows.rows();
		}

	}

	/**
	 * What an import leaves, but times and which execution imported it: entries,
	 * enhancements, the pending enhancements' outcomes, the batch's and the request's
	 * statuses.
	 */
	record ImportState(Digest entries, Digest enhancements, Digest pending, Digest batch, Digest request) {

		static ImportState of(String url) throws SQLException {
			try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres")) {
				return new ImportState(
						Digest.of(connection,
								"SELECT batch_id, entry_number, reference_id, outcome, error"
										+ " FROM robot_result_validation_entry ORDER BY batch_id, entry_number"),
						Digest.of(connection,
								"SELECT id, reference_id, enhancement_type, source, visibility, robot_version,"
										+ " derived_from, content, fingerprint, batch_id FROM enhancement ORDER BY id"),
						Digest.of(connection,
								"SELECT id, reference_id, status, batch_id, result_entry, reason"
										+ " FROM pending_enhancement ORDER BY id"),
						Digest.of(connection,
								"SELECT id, status, validation_result_key, error"
										+ " FROM robot_enhancement_batch ORDER BY id"),
						Digest.of(connection, "SELECT id, request_status, error FROM enhancement_request ORDER BY id"));
			}
		}

	}

}
