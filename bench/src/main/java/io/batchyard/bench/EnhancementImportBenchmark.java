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
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.batchyard.jobs.enhancement.BlobKeys;
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
		int lines = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		int naivePrefix = (args.length > 1) ? Integer.parseInt(args[1]) : 20_000;
		int chunkSize = (args.length > 2) ? Integer.parseInt(args[2]) : 1000;
		// Multi-row INSERTs for JDBC batches: the setting production should use too.
		// A durable server, as in production (zonky starts it with fsync=off): all three
		// measurements pay real commits.
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setServerConfig("fsync", "on")
			.setServerConfig("synchronous_commit", "on")
			.setServerConfig("full_page_writes", "on")

			.start();
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE bench");
			try (var rs = statement
				.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit'),"
						+ " current_setting('full_page_writes')")) {
				rs.next();
				System.out.printf("PostgreSQL fsync=%s synchronous_commit=%s full_page_writes=%s%n", rs.getString(1),
						rs.getString(2), rs.getString(3));
			}
		}
		String url = postgres.getJdbcUrl("postgres", "bench") + "&reWriteBatchedInserts=true&prepareThreshold=0";
		Path blobs = Files.createTempDirectory("bench-enhancement-blobs");
		UUID batch = UUID.randomUUID();
		UUID request = UUID.randomUUID();
		Path result = blobs.resolve(BlobKeys.robotResult(batch));
		Files.createDirectories(result.getParent());
		List<UUID> references = generate(result, lines, new Random(42));
		System.out.printf("Generated %,d lines, %,d bytes (%.0f bytes/line)%n", lines, Files.size(result),
				(double) Files.size(result) / lines);

		ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchEnhancementApplication.class).run(
				"--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
				"--spring.datasource.password=postgres", "--batchyard.enhancements.storage.type=local",
				"--batchyard.enhancements.storage.directory=" + blobs,
				"--batchyard.jobs.enhancement-import.chunk-size=" + chunkSize);
		long seedStart = System.nanoTime();
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres")) {
			seed(connection, references, request, batch);
			try (Statement statement = connection.createStatement()) {
				statement.execute("ANALYZE");
				statement.execute("CREATE TABLE bench_copy (reference_id UUID, enhancement_type TEXT, content TEXT)");
				statement.execute("CREATE TABLE bench_naive (reference_id UUID, enhancement_type TEXT, content TEXT)");
			}
		}
		System.out.printf("Seeded %,d references and pending enhancements in %.1f s%n", references.size(),
				Stopwatch.seconds(seedStart));

		System.gc();
		resetPeaks();
		long jobStart = System.nanoTime();
		JobExecution execution = context.getBean(JobOperator.class)
			.start(context.getBean("enhancementImportJob", Job.class),
					new JobParametersBuilder().addString(EnhancementImportJobConfiguration.BATCH_ID, batch.toString())
						.toJobParameters());
		double jobSeconds = Stopwatch.seconds(jobStart);
		long jobHeap = peakHeap();
		for (var step : execution.getStepExecutions()) {
			System.out.printf("  %-28s %6.1f s, %,d read, %,d written, %,d commits%n", step.getStepName(),
					java.time.Duration.between(step.getStartTime(), step.getEndTime()).toMillis() / 1000.0,
					step.getReadCount(), step.getWriteCount(), step.getCommitCount());
		}
		if (execution.getStatus() != BatchStatus.COMPLETED) {
			throw new IllegalStateException("The job did not complete: " + execution.getExitStatus());
		}
		long entries;
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
				Statement statement = connection.createStatement();
				var rs = statement.executeQuery("SELECT (SELECT COUNT(*) FROM robot_result_validation_entry),"
						+ " (SELECT COUNT(*) FROM enhancement), (SELECT status FROM robot_enhancement_batch)")) {
			rs.next();
			entries = rs.getLong(1);
			System.out.printf("Job: %,d validation entries, %,d enhancements, batch %s%n", entries, rs.getLong(2),
					rs.getString(3));
		}
		context.close();
		double writesSeconds = writesAlone(url, batch);

		System.gc();
		resetPeaks();
		long copyStart = System.nanoTime();
		long copied = copyBaseline(url, result);
		double copySeconds = Stopwatch.seconds(copyStart);
		long copyHeap = peakHeap();

		long naiveStart = System.nanoTime();
		long naive = naiveBaseline(url, result, naivePrefix);
		double naiveSeconds = Stopwatch.seconds(naiveStart);

		double jobRate = lines / jobSeconds;
		double copyRate = lines / copySeconds;
		double naiveRate = naive / naiveSeconds;
		System.out.printf("%nenhancementImportJob   %,10d lines in %7.1f s = %,9.0f lines/s, peak heap %,d MiB%n",
				lines, jobSeconds, jobRate, jobHeap >> 20);
		System.out.printf(
				"(a) Jackson + COPY     %,10d lines in %7.1f s = %,9.0f lines/s (%,d rows), peak heap %,d MiB%n", lines,
				copySeconds, copyRate, copied, copyHeap >> 20);
		System.out.printf("(b) row per tx (prefix)%,10d lines in %7.1f s = %,9.0f lines/s%n", naive, naiveSeconds,
				naiveRate);
		System.out.printf(
				"(c) the job's writes alone %,6d lines in %7.1f s = %,9.0f lines/s: %.0f%% of (a), the ceiling of any"
						+ " import that keeps these tables%n",
				lines, writesSeconds, lines / writesSeconds, 100 * (lines / writesSeconds) / copyRate);
		System.out.printf("job / (a) = %.0f%% (target >= 50%%); job / (b) = %.1fx (target >= 20x); max heap %,d MiB%n",
				100 * jobRate / copyRate, jobRate / naiveRate, Runtime.getRuntime().maxMemory() >> 20);
		postgres.close();
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
	 * (c): only the rows the job wrote, written again by the server itself into empty
	 * tables of the same shape (indexes, foreign keys), plus the outcome update of the
	 * batch's pending enhancements: no reading, parsing, validating or client round trip.
	 * Whatever the import does per line, it cannot be faster than this.
	 * @return the seconds the writes took
	 */
	static double writesAlone(String url, UUID batch) throws Exception {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE ceiling_enhancement (LIKE enhancement INCLUDING ALL,"
					+ " FOREIGN KEY (reference_id) REFERENCES reference (id))");
			statement.execute("CREATE TABLE ceiling_entry (LIKE robot_result_validation_entry INCLUDING ALL)");
			statement.execute("UPDATE pending_enhancement SET status = 'importing' WHERE batch_id = '" + batch + "'");
			statement.execute("CHECKPOINT");
			long start = System.nanoTime();
			statement.execute("INSERT INTO ceiling_enhancement SELECT * FROM enhancement");
			long enhancements = System.nanoTime();
			statement.execute("INSERT INTO ceiling_entry SELECT * FROM robot_result_validation_entry");
			long entries = System.nanoTime();
			statement.execute("UPDATE pending_enhancement SET status = 'completed', updated_at = now()"
					+ " WHERE batch_id = '" + batch + "' AND status = 'importing'");
			long end = System.nanoTime();
			System.out.printf(
					"(c) writes alone: enhancements %.1f s, validation entries %.1f s, pending outcomes" + " %.1f s%n",
					(enhancements - start) / 1e9, (entries - enhancements) / 1e9, (end - entries) / 1e9);
			return (end - start) / 1e9;
		}
	}

	/** (a): parse each line with Jackson, COPY the valid rows in batches of 10,000. */
	static long copyBaseline(String url, Path file) throws Exception {
		JsonMapper mapper = JsonMapper.shared();
		long rows = 0;
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
