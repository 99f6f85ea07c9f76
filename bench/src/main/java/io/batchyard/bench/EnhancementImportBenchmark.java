package io.batchyard.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.security.MessageDigest;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.batchyard.jobs.enhancement.BlobKeys;
import jdk.jfr.Recording;
import io.batchyard.jobs.enhancement.EnhancementImportJobConfiguration;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * {@code enhancementImportJob} on PostgreSQL against two baselines on the same file in
 * the same run: (a) the raw limit, a loop that only parses each line with Jackson and
 * bulk-inserts the rows with {@code COPY}; (b) a naive import, one row per line in its
 * own transaction, measured on a prefix. The file has {@code lines} realistic result
 * lines (about 460 bytes; 3% bad: broken JSON, unknown enhancement type, a reference not
 * in the batch, a duplicate reference). Arguments:
 * {@code [lines] [naivePrefix] [chunkSize]} (default 1000000 20000 1000). Run with
 * {@code -Xmx512m}.
 */
public final class EnhancementImportBenchmark {

	private static final String[] WORDS = ("intervention outcome randomised trial cohort effect participants "
			+ "follow-up baseline primary secondary analysis schools households adherence mortality income "
			+ "nutrition literacy attainment evidence systematic review quality moderate confidence interval")
		.split(" ");

	private EnhancementImportBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		BenchArguments arguments = new BenchArguments("EnhancementImportBenchmark",
				"Usage: EnhancementImportBenchmark [lines, default 1000000] [naive-loop lines, default 20000; 0 to"
						+ " skip] [chunk size, default 1000] [grid sizes, default 1,2,4]",
				args, 4);
		int lines = arguments.count(0, "lines", 1_000_000, 1);
		int naivePrefix = arguments.count(1, "naive-loop lines", 20_000, 0);
		int chunkSize = arguments.count(2, "chunk size", 1000, 1);
		int[] grids = arguments.counts(3, "grid size", "1,2,4", 1);
		// -Dbench.jfr=<file>: a JFR recording of the first grid size's job run only.
		String jfr = System.getProperty("bench.jfr");
		// A durable server, as in production (zonky starts it with fsync=off): all
		// measurements pay real commits.
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setServerConfig("fsync", "on")
			.setServerConfig("synchronous_commit", "on")
			.setServerConfig("full_page_writes", "on")
			.start();
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement();
				var rs = statement
					.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit'),"
							+ " current_setting('full_page_writes'), version()")) {
			rs.next();
			System.out.printf("PostgreSQL fsync=%s synchronous_commit=%s full_page_writes=%s (%s)%n", rs.getString(1),
					rs.getString(2), rs.getString(3), rs.getString(4));
		}
		Path blobs = Files.createTempDirectory("bench-enhancement-blobs");
		// One batch id in every database: the same result file for every grid size.
		UUID batch = UUID.randomUUID();
		UUID request = UUID.randomUUID();
		Path result = blobs.resolve(BlobKeys.robotResult(batch));
		Files.createDirectories(result.getParent());
		List<UUID> references = generate(result, lines, new Random(42));
		System.out.printf("Generated %,d lines, %,d bytes (%.0f bytes/line)%n", lines, Files.size(result),
				(double) Files.size(result) / lines);

		List<String> summary = new ArrayList<>();
		Ceiling ceiling = null;
		String url = null;
		String firstReport = null;
		double firstJob = 0;
		for (int grid : grids) {
			// A fresh database per grid size: the same rows to write, the same
			// indexes to grow, nothing found already there.
			String database = "bench_g" + grid;
			try (Connection connection = postgres.getPostgresDatabase().getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE DATABASE " + database);
			}
			url = postgres.getJdbcUrl("postgres", database) + "&reWriteBatchedInserts=true&prepareThreshold=0";
			ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchEnhancementApplication.class)
				.run("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
						"--spring.datasource.password=postgres", "--batchyard.enhancements.storage.type=local",
						"--batchyard.enhancements.storage.directory=" + blobs,
						"--batchyard.jobs.enhancement-import.chunk-size=" + chunkSize,
						"--batchyard.jobs.enhancement-import.grid-size=" + grid);
			long seedStart = System.nanoTime();
			try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres")) {
				seed(connection, references, request, batch);
				try (Statement statement = connection.createStatement()) {
					statement.execute("ANALYZE");
				}
			}
			System.out.printf("%nGrid %d: seeded %,d references and pending enhancements in %.1f s%n", grid,
					references.size(), Stopwatch.seconds(seedStart));
			System.gc();
			resetPeaks();
			Recording recording = (jfr != null && grid == grids[0]) ? startRecording() : null;
			long jobStart = System.nanoTime();
			JobExecution execution = context.getBean(JobOperator.class)
				.start(context.getBean("enhancementImportJob", Job.class),
						new JobParametersBuilder()
							.addString(EnhancementImportJobConfiguration.BATCH_ID, batch.toString())
							.toJobParameters());
			double jobSeconds = Stopwatch.seconds(jobStart);
			long jobHeap = peakHeap();
			if (recording != null) {
				recording.dump(Path.of(jfr));
				recording.close();
				System.out.println("JFR recording of the job: " + jfr);
			}
			for (var step : execution.getStepExecutions()) {
				System.out.printf("  %-28s %6.1f s, %,d read, %,d written, %,d commits%n", step.getStepName(),
						java.time.Duration.between(step.getStartTime(), step.getEndTime()).toMillis() / 1000.0,
						step.getReadCount(), step.getWriteCount(), step.getCommitCount());
			}
			if (execution.getStatus() != BatchStatus.COMPLETED) {
				throw new IllegalStateException("The job did not complete: " + execution.getExitStatus());
			}
			String outcome = outcome(url, batch, blobs);
			System.out.printf("Job at grid %d: %s%n", grid, outcome);
			context.close();
			if (firstReport == null) {
				firstReport = outcome;
				firstJob = jobSeconds;
			}
			else if (!firstReport.equals(outcome)) {
				throw new IllegalStateException("Grid " + grid + " ended differently from grid " + grids[0] + ": "
						+ outcome + " vs " + firstReport);
			}
			summary.add(String.format(
					"enhancementImportJob grid %d %,10d lines in %7.1f s = %,9.0f lines/s,"
							+ " %.2fx grid %d, peak heap %,d MiB",
					grid, lines, jobSeconds, lines / jobSeconds, jobSeconds / firstJob, grids[0], jobHeap >> 20));
			if (ceiling == null) {
				ceiling = writesAlone(url, batch);
				summary.add(String.format(
						"(c) the job's writes alone, V14 design %7.1f s = %,9.0f lines/s; job grid %d / (c) = %.2fx"
								+ " (target <= 1.3x)",
						ceiling.seconds(), lines / ceiling.seconds(), grid, jobSeconds / ceiling.seconds()));
				summary.add(String.format(
						"(c) the job's writes alone, V7 design  %7.1f s = %,9.0f lines/s; job grid %d / old (c) ="
								+ " %.2fx; new (c) / old (c) = %.2f",
						ceiling.oldSeconds(), lines / ceiling.oldSeconds(), grid, jobSeconds / ceiling.oldSeconds(),
						ceiling.seconds() / ceiling.oldSeconds()));
			}
		}

		System.gc();
		resetPeaks();
		long copyStart = System.nanoTime();
		long copied = copyBaseline(url, result);
		double copySeconds = Stopwatch.seconds(copyStart);
		long copyHeap = peakHeap();
		summary.add(String.format(
				"(a) Jackson + COPY     %,10d lines in %7.1f s = %,9.0f lines/s (%,d rows), peak heap %,d MiB", lines,
				copySeconds, lines / copySeconds, copied, copyHeap >> 20));
		if (naivePrefix > 0) {
			long naiveStart = System.nanoTime();
			long naive = naiveBaseline(url, result, naivePrefix);
			double naiveSeconds = Stopwatch.seconds(naiveStart);
			summary.add(String.format("(b) row per tx (prefix)%,10d lines in %7.1f s = %,9.0f lines/s", naive,
					naiveSeconds, naive / naiveSeconds));
		}
		System.out.println();
		summary.forEach(System.out::println);
		System.out.printf("max heap %,d MiB%n", Runtime.getRuntime().maxMemory() >> 20);
		postgres.close();
	}

	/**
	 * What the job left: counts of entries by outcome, enhancements, pending enhancements
	 * by status, the batch's status and the report's SHA-256, to compare grid sizes.
	 */
	static String outcome(String url, UUID batch, Path blobs) throws Exception {
		StringBuilder out = new StringBuilder();
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
				Statement statement = connection.createStatement()) {
			for (String query : new String[] {
					"SELECT outcome, COUNT(*) FROM robot_result_validation_entry GROUP BY outcome ORDER BY outcome",
					"SELECT 'enhancements', COUNT(*) FROM enhancement",
					"SELECT status, COUNT(*) FROM pending_enhancement GROUP BY status ORDER BY status",
					"SELECT 'batch ' || status, 1 FROM robot_enhancement_batch" }) {
				try (var rs = statement.executeQuery(query)) {
					while (rs.next()) {
						out.append(rs.getString(1)).append('=').append(rs.getLong(2)).append(' ');
					}
				}
			}
		}
		MessageDigest sha = MessageDigest.getInstance("SHA-256");
		try (var in = Files.newInputStream(blobs.resolve(BlobKeys.validationResult(batch)))) {
			byte[] buffer = new byte[1 << 16];
			for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
				sha.update(buffer, 0, n);
			}
		}
		return out.append("report sha256 ").append(HexFormat.of().formatHex(sha.digest()), 0, 16).toString();
	}

	/**
	 * Execution samples (Java), native samples (waiting, mostly on PostgreSQL's socket)
	 * and socket reads over 1 ms.
	 */
	static Recording startRecording() {
		Recording recording = new Recording();
		recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
		recording.enable("jdk.NativeMethodSample").withPeriod(java.time.Duration.ofMillis(20));
		recording.enable("jdk.SocketRead").withThreshold(java.time.Duration.ofMillis(1)).withStackTrace();
		recording.enable("jdk.GarbageCollection");
		recording.enable("jdk.GCHeapSummary");
		recording.start();
		return recording;
	}

	/** The result file: one line per reference, 3% of them bad. */
	static List<UUID> generate(Path file, int lines, Random random) throws IOException {
		List<UUID> references = new ArrayList<>(lines);
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			for (int i = 0; i < lines; i++) {
				UUID reference = new UUID(random.nextLong(), random.nextLong());
				references.add(reference);
				int kind = random.nextInt(100);
				String line;
				if (kind < 1) {
					line = abstractLine(reference, random).substring(0, 120);
				}
				else if (kind < 2) {
					line = abstractLine(reference, random).replace("\"abstract\",\"process\"",
							"\"summary\",\"process\"");
				}
				else if (kind < 3 && i > 0) {
					line = (random.nextBoolean()) ? annotationLine(references.get(i - 1), random)
							: annotationLine(new UUID(random.nextLong(), random.nextLong()), random);
				}
				else if (kind < 50) {
					line = abstractLine(reference, random);
				}
				else if (kind < 97) {
					line = annotationLine(reference, random);
				}
				else {
					line = "{\"reference_id\":\"" + reference + "\",\"message\":\"Full text not available: "
							+ words(random, 40) + "\"}";
				}
				out.write(line);
				out.write('\n');
			}
		}
		return references;
	}

	static String abstractLine(UUID reference, Random random) {
		return "{\"reference_id\":\"" + reference + "\",\"source\":\"bench-robot\",\"visibility\":\"public\","
				+ "\"robot_version\":\"1.4.2\",\"content\":{\"enhancement_type\":\"abstract\",\"process\":\"other\","
				+ "\"abstract\":\"" + words(random, 27) + "\"}}";
	}

	static String annotationLine(UUID reference, Random random) {
		return "{\"reference_id\":\"" + reference + "\",\"source\":\"bench-robot\",\"visibility\":\"public\","
				+ "\"robot_version\":\"1.4.2\",\"content\":{\"enhancement_type\":\"annotation\",\"annotations\":["
				+ "{\"annotation_type\":\"boolean\",\"scheme\":\"classifier:taxonomy:Outcomes\",\"label\":\""
				+ words(random, 1) + "\",\"value\":" + random.nextBoolean() + ",\"score\":"
				+ (random.nextInt(1000) / 1000.0)
				+ ",\"data\":{\"model\":\"bench-robot-v1.4\",\"threshold\":0.5,\"rationale\":\"" + words(random, 11)
				+ "\"}}]}}";
	}

	static String words(Random random, int count) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < count; i++) {
			if (i > 0) {
				text.append(' ');
			}
			text.append(WORDS[random.nextInt(WORDS.length)]);
		}
		return text.toString();
	}

	static void seed(Connection connection, List<UUID> references, UUID request, UUID batch) throws Exception {
		CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
		String now = Instant.now().toString();
		StringBuilder rows = new StringBuilder();
		for (int i = 0; i < references.size(); i++) {
			rows.append(references.get(i)).append("\tpublic\t\\N\t").append(now).append('\n');
			if (i % 50_000 == 49_999 || i == references.size() - 1) {
				copy.copyIn("COPY reference (id, visibility, identifiers, created_at) FROM STDIN",
						new StringReader(rows.toString()));
				rows.setLength(0);
			}
		}
		try (PreparedStatement statement = connection.prepareStatement("INSERT INTO enhancement_request (id,"
				+ " robot_id, source, request_status, created_at, updated_at) VALUES (?, 'bench-robot', 'bench',"
				+ " 'processing', now(), now())")) {
			statement.setObject(1, request);
			statement.execute();
		}
		try (PreparedStatement statement = connection.prepareStatement("INSERT INTO robot_enhancement_batch (id,"
				+ " robot_id, status, reference_data_key, result_key, expires_at, created_at, updated_at)"
				+ " VALUES (?, 'bench-robot', 'importing', ?, ?, now() + interval '1 day', now(), now())")) {
			statement.setObject(1, batch);
			statement.setString(2, BlobKeys.referenceData(batch));
			statement.setString(3, BlobKeys.robotResult(batch));
			statement.execute();
		}
		rows.setLength(0);
		for (int i = 0; i < references.size(); i++) {
			UUID reference = references.get(i);
			rows.append(UUID.randomUUID())
				.append('\t')
				.append(request)
				.append('\t')
				.append(reference)
				.append("\tbench-robot\timporting\t")
				.append(batch)
				.append('\t')
				.append(now)
				.append("\t0\t")
				.append(now)
				.append('\t')
				.append(now)
				.append('\n');
			if (i % 50_000 == 49_999 || i == references.size() - 1) {
				copy.copyIn(
						"COPY pending_enhancement (id, enhancement_request_id, reference_id, robot_id, status,"
								+ " batch_id, expires_at, retry_depth, created_at, updated_at) FROM STDIN",
						new StringReader(rows.toString()));
				rows.setLength(0);
			}
		}
	}

	/**
	 * (c) of both designs.
	 *
	 * @param seconds the writes alone with V14's pending enhancements (outcome a HOT
	 * update)
	 * @param oldSeconds the same with V7's (status in two indexes, no fillfactor)
	 */
	record Ceiling(double seconds, double oldSeconds) {
	}

	/**
	 * (c): only the rows the job wrote, written again by the server itself into empty
	 * tables of the same shape (indexes, foreign keys), plus the outcome update of the
	 * batch's pending enhancements: no reading, parsing, validating or client round trip.
	 * Whatever the import does per line, it cannot be faster than this. The pending
	 * enhancements are copied, as the seed wrote them (importing, no outcome), into a
	 * table of this schema (V14: fillfactor 50, claim and expiry indexed on generated
	 * columns) and into one of the former schema (V7: status in the claim and expiry
	 * indexes), and the same outcome update is timed on each, after a checkpoint.
	 * @return the seconds the writes took, in both designs
	 */
	static Ceiling writesAlone(String url, UUID batch) throws Exception {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE ceiling_enhancement (LIKE enhancement INCLUDING ALL,"
					+ " FOREIGN KEY (reference_id) REFERENCES reference (id))");
			statement.execute("CREATE TABLE ceiling_entry (LIKE robot_result_validation_entry INCLUDING ALL)");
			statement.execute("CREATE TABLE ceiling_pending (LIKE pending_enhancement INCLUDING ALL)"
					+ " WITH (fillfactor = 50)");
			statement.execute("CREATE TABLE ceiling_pending_v7 (LIKE pending_enhancement INCLUDING ALL)");
			statement.execute("ALTER TABLE ceiling_pending_v7 DROP COLUMN queued_at, DROP COLUMN lease_expires_at");
			statement.execute("CREATE INDEX ON ceiling_pending_v7 (robot_id, status, created_at)");
			statement.execute("CREATE INDEX ON ceiling_pending_v7 (status, expires_at)");
			String columns = "id, enhancement_request_id, reference_id, robot_id, status, batch_id, expires_at,"
					+ " retry_of, retry_depth, result_entry, reason, created_at, updated_at";
			for (String table : new String[] { "ceiling_pending", "ceiling_pending_v7" }) {
				statement.execute("INSERT INTO " + table + " (" + columns + ") SELECT "
						+ columns.replace("status, batch_id, expires_at, retry_of, retry_depth, result_entry, reason",
								"'importing', batch_id, expires_at, retry_of, retry_depth, NULL, NULL")
						+ " FROM pending_enhancement ORDER BY created_at, id");
			}
			statement.execute("VACUUM ANALYZE ceiling_pending");
			statement.execute("VACUUM ANALYZE ceiling_pending_v7");
			statement.execute("CHECKPOINT");
			long start = System.nanoTime();
			statement.execute("INSERT INTO ceiling_enhancement SELECT * FROM enhancement");
			long enhancements = System.nanoTime();
			statement.execute("INSERT INTO ceiling_entry SELECT * FROM robot_result_validation_entry");
			long entries = System.nanoTime();
			double pending = outcomes(statement, "ceiling_pending", batch);
			double pendingV7 = outcomes(statement, "ceiling_pending_v7", batch);
			double common = (entries - start) / 1e9;
			System.out.printf(
					"(c) writes alone: enhancements %.1f s, validation entries %.1f s, pending outcomes"
							+ " %.1f s (%s) with V14, %.1f s (%s) with V7%n",
					(enhancements - start) / 1e9, (entries - enhancements) / 1e9, pending,
					hot(statement, "ceiling_pending"), pendingV7, hot(statement, "ceiling_pending_v7"));
			return new Ceiling(common + pending, common + pendingV7);
		}
	}

	/**
	 * The outcome update of every pending enhancement of the batch, after a checkpoint.
	 */
	private static double outcomes(Statement statement, String table, UUID batch) throws Exception {
		statement.execute("CHECKPOINT");
		long start = System.nanoTime();
		statement.execute("UPDATE " + table + " SET status = 'completed', result_entry = 1, updated_at = now()"
				+ " WHERE batch_id = '" + batch + "' AND status = 'importing'");
		return Stopwatch.seconds(start);
	}

	private static String hot(Statement statement, String table) throws Exception {
		// The statistics collector reports with a delay.
		for (int attempt = 0; attempt < 50; attempt++) {
			try (var rs = statement.executeQuery(
					"SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE" + " relname = '" + table + "'")) {
				rs.next();
				if (rs.getLong(1) > 0) {
					return String.format("%,d of %,d updates HOT", rs.getLong(2), rs.getLong(1));
				}
			}
			Thread.sleep(100);
		}
		return "update counts not reported";
	}

	/** (a): parse each line with Jackson, COPY the valid rows in batches of 10,000. */
	static long copyBaseline(String url, Path file) throws Exception {
		JsonMapper mapper = JsonMapper.shared();
		long rows = 0;
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE bench_copy (reference_id UUID, enhancement_type TEXT, content TEXT)");
			statement.execute("CREATE TABLE bench_naive (reference_id UUID, enhancement_type TEXT, content TEXT)");
		}
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
				BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			connection.setAutoCommit(false);
			CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
			StringBuilder buffer = new StringBuilder();
			int buffered = 0;
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				BaselineRow row = BaselineRow.parse(mapper, line);
				if (row == null) {
					continue;
				}
				buffer.append(row.reference())
					.append('\t')
					.append(row.type())
					.append('\t')
					.append(escape(row.content()))
					.append('\n');
				rows++;
				if (++buffered == 10_000) {
					copy.copyIn("COPY bench_copy FROM STDIN", new StringReader(buffer.toString()));
					buffer.setLength(0);
					buffered = 0;
				}
			}
			copy.copyIn("COPY bench_copy FROM STDIN", new StringReader(buffer.toString()));
			connection.commit();
		}
		return rows;
	}

	/**
	 * (b): one INSERT per line, each in its own transaction, on the first {@code prefix}
	 * lines.
	 */
	static long naiveBaseline(String url, Path file, int prefix) throws Exception {
		JsonMapper mapper = JsonMapper.shared();
		long lines = 0;
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
				BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
				PreparedStatement insert = connection.prepareStatement("INSERT INTO bench_naive VALUES (?, ?, ?)")) {
			connection.setAutoCommit(true);
			for (String line = in.readLine(); line != null && lines < prefix; line = in.readLine()) {
				lines++;
				BaselineRow row = BaselineRow.parse(mapper, line);
				if (row == null) {
					continue;
				}
				insert.setObject(1, UUID.fromString(row.reference()));
				insert.setString(2, row.type());
				insert.setString(3, row.content());
				insert.executeUpdate();
			}
		}
		return lines;
	}

	/**
	 * What both baselines keep of a line: its reference, enhancement type and content (as
	 * JSON).
	 */
	record BaselineRow(String reference, String type, String content) {

		/** The row of a line, or {@code null} for a line without an enhancement. */
		static BaselineRow parse(JsonMapper mapper, String line) {
			JsonNode node;
			try {
				node = mapper.readTree(line);
			}
			catch (RuntimeException ex) {
				return null;
			}
			JsonNode content = node.get("content");
			JsonNode reference = node.get("reference_id");
			if (content == null || reference == null) {
				return null;
			}
			return new BaselineRow(reference.asString(), content.path("enhancement_type").asString(),
					mapper.writeValueAsString(content));
		}

	}

	private static String escape(String text) {
		return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
	}

	private static void resetPeaks() {
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				pool.resetPeakUsage();
			}
		}
	}

	private static long peakHeap() {
		long peak = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				peak += pool.getPeakUsage().getUsed();
			}
		}
		return peak;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EnhancementImportJobConfiguration.class)
	static class BenchEnhancementApplication {

	}

}
