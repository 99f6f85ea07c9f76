package io.batchyard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.FreePorts;
import io.batchyard.test.ReferenceFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code referenceLoadJob} on PostgreSQL, the same file three ways in one run, each on a
 * database of its own, every node a separate JVM running the application jar:
 * <ol>
 * <li>unpartitioned, one node;</li>
 * <li>4 partitions on one node ({@code batchyard.partitioning.mode=local});</li>
 * <li>4 partitions over 2 worker nodes (remote, through ElasticMQ) and a manager-only
 * node.</li>
 * </ol>
 * The time of each is its execution's start to end in the job repository (the same clock
 * for every mode; start-up is not counted). Prints lines/s, the ratios, and whether the
 * three databases hold the same rows. Then the SQS launch latency: one node listening to
 * a launch queue with the default poll settings, {@value #LAUNCHES} messages sent one
 * after another, each from its send to its execution's {@code START_TIME} in the
 * repository; p50 and p95. Arguments: {@code [lines] [chunkSize] [applicationJar]}
 * (default 2000000 1000 launcher/target/batchyard.jar; {@code lines} 0 measures only the
 * launch latency).
 */
public final class ReferenceLoadScaleOutBenchmark {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	// The operator the processes get. NOT A SECRET: a benchmark's own throw-away user.
	private static final String PASSWORD_HASH = "{bcrypt}$2a$10$CZvKxlHqvbi0Mvlbfw5JlueaE7DVrXskj0NJtbWLUHZucytIARQUm";

	private static final String AUTHORIZATION = "Basic "
			+ Base64.getEncoder().encodeToString("bench:process-secret".getBytes(StandardCharsets.UTF_8));

	private ReferenceLoadScaleOutBenchmark() {
	}

	private static final int LAUNCHES = 200;

	static final String USAGE = "Usage: ReferenceLoadScaleOutBenchmark [lines, default 2000000; 0 for the launch"
			+ " latency only] [chunk size, default 1000] [application jar, default launcher/target/batchyard.jar]";

	public static void main(String[] args) throws Exception {
		BenchArguments arguments = new BenchArguments("ReferenceLoadScaleOutBenchmark", USAGE, args, 3);
		int lines = arguments.count(0, "lines", 2_000_000, 0);
		int chunkSize = arguments.count(1, "chunk size", 1000, 1);
		Path jar = Path.of(arguments.text(2, "launcher/target/batchyard.jar")).toAbsolutePath();
		if (!Files.isRegularFile(jar)) {
			throw arguments
				.refuse("no application jar at " + jar + ": ./mvnw -B -q -pl launcher -am package -DskipTests");
		}
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setServerConfig("fsync", "on")
			.setServerConfig("synchronous_commit", "on")
			.setServerConfig("max_connections", "200")
			.start();
		Path work = Files.createTempDirectory("bench-scale-out");
		String sqs = ElasticMqServer.endpoint();
		if (lines > 0) {
			loads(postgres, work, jar, sqs, lines, chunkSize);
		}
		Latency latency = launchLatency(postgres, work, jar, sqs);
		System.out.printf("SQS launch latency over %d launches: p50 %.0f ms, p95 %.0f ms, max %.0f ms"
				+ " (target p50 < 300 ms)%n", LAUNCHES, latency.p50(), latency.p95(), latency.max());
		postgres.close();
		// ElasticMQ's actor threads are not daemons: without this the JVM never exits
		// (its
		// shutdown hook stops the server), as in the other benchmarks.
		System.exit(0);
	}

	private static void loads(EmbeddedPostgres postgres, Path work, Path jar, String sqs, int lines, int chunkSize)
			throws Exception {
		Path file = work.resolve("references.jsonl");
		ReferenceFiles.write(file, lines, 15);
		System.out.printf("Generated %,d lines, %,d bytes; chunk %d; %d cores%n", lines, Files.size(file), chunkSize,
				Runtime.getRuntime().availableProcessors());
		String queue = "bench-partitions-" + UUID.randomUUID().toString().substring(0, 8);
		List<String> common = List.of("--batchyard.jobs.enhancement-import.chunk-size=" + chunkSize,
				"--spring.cloud.aws.sqs.endpoint=" + sqs, "--batchyard.launcher.sqs.create-queues=true",
				"--batchyard.partitioning.queue=" + queue, "--batchyard.partitioning.poll-interval=500ms",
				"--batchyard.jobs.reference-load.allowed-directories=" + work);

		Run single = run("unpartitioned", postgres, work, jar, file, lines,
				List.of(node("single", common, "--batchyard.jobs.reference-load.grid-size=1")));
		Run local = run("4 partitions, local", postgres, work, jar, file, lines, List.of(node("local", common,
				"--batchyard.jobs.reference-load.grid-size=4", "--batchyard.partitioning.local-threads=4")));
		Run local16 = run("16 partitions, local", postgres, work, jar, file, lines, List.of(node("local16", common,
				"--batchyard.jobs.reference-load.grid-size=16", "--batchyard.partitioning.local-threads=4")));
		List<String> remote = new ArrayList<>(common);
		remote.addAll(List.of("--batchyard.partitioning.mode=remote", "--batchyard.jobs.reference-load.grid-size=4",
				"--batchyard.partitioning.worker-concurrency=2"));
		Run distributed = run("4 partitions, 2 workers", postgres, work, jar, file, lines,
				List.of(node("manager", remote, "--batchyard.runner.worker=false"), node("worker-1", remote),
						node("worker-2", remote)));

		System.out.printf("%n%-26s %,12.0f lines/s (%.1f s)%n", single.name(), single.rate(), single.seconds());
		System.out.printf("%-26s %,12.0f lines/s (%.1f s)%n", local.name(), local.rate(), local.seconds());
		System.out.printf("%-26s %,12.0f lines/s (%.1f s)%n", distributed.name(), distributed.rate(),
				distributed.seconds());
		System.out.printf("%-26s %,12.0f lines/s (%.1f s)%n", local16.name(), local16.rate(), local16.seconds());
		System.out.printf("local / unpartitioned = %.2fx (target >= 1.6x)%n", local.rate() / single.rate());
		System.out.printf("partition overhead, grid 16 vs 4 = %.1f%% (target < 10%%)%n",
				100 * (local16.seconds() / local.seconds() - 1));
		System.out.printf("remote / local = %.2f (target >= 0.85: within 15%%)%n", distributed.rate() / local.rate());
		System.out.printf("same rows in the three databases: %s%n", single.state().equals(local.state())
				&& local.state().equals(local16.state()) && local.state().equals(distributed.state()));
	}

	/**
	 * Sends launch messages one after another to a node listening with the default poll
	 * settings, each waiting for its execution to start.
	 */
	private static Latency launchLatency(EmbeddedPostgres postgres, Path work, Path jar, String sqs) throws Exception {
		String database = "bench_launch_latency";
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + database);
		}
		String url = postgres.getJdbcUrl("postgres", database);
		String queue = "bench-launch-" + UUID.randomUUID().toString().substring(0, 8);
		Node node = Node.start(jar, work.resolve(database),
				List.of("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
						"--spring.datasource.password=postgres", "--spring.cloud.aws.sqs.endpoint=" + sqs,
						"--batchyard.launcher.sqs.enabled=true", "--batchyard.launcher.sqs.create-queues=true",
						"--batchyard.launcher.sqs.launch-queue=" + queue));
		try (SqsClient client = SqsClient.builder()
			.endpointOverride(URI.create(sqs))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
			.build(); Connection connection = DriverManager.getConnection(url, "postgres", "postgres")) {
			node.awaitHealthy();
			String queueUrl = client.getQueueUrl((request) -> request.queueName(queue)).queueUrl();
			Instant base = Instant.parse("2026-01-01T00:00:00Z");
			List<Double> millis = new ArrayList<>();
			for (int i = 0; i < LAUNCHES + 10; i++) {
				String asOf = base.plusSeconds(i).toString();
				Instant sent = Instant.now();
				client.sendMessage((request) -> request.queueUrl(queueUrl)
					.messageBody("{\"job\":\"repositoryPurgeJob\",\"parameters\":{\"asOf\":\"" + asOf + "\"}}"));
				Instant started = awaitStart(connection, asOf);
				// The first ten warm the node up (class loading, connection pool).
				if (i >= 10) {
					millis.add(Duration.between(sent, started).toNanos() / 1e6);
				}
			}
			millis.sort(null);
			return new Latency(millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.95) - 1),
					millis.get(millis.size() - 1));
		}
		finally {
			node.stop();
		}
	}

	private static Instant awaitStart(Connection connection, String asOf) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		try (PreparedStatement query = connection.prepareStatement("SELECT E.START_TIME FROM BATCH_JOB_EXECUTION E"
				+ " JOIN BATCH_JOB_EXECUTION_PARAMS P ON P.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID"
				+ " WHERE P.PARAMETER_NAME = 'asOf' AND P.PARAMETER_VALUE = ? AND E.START_TIME IS NOT NULL")) {
			query.setString(1, asOf);
			while (System.nanoTime() < deadline) {
				try (ResultSet rs = query.executeQuery()) {
					if (rs.next()) {
						// Spring Batch writes local date-times of the JVM's zone: this
						// machine's, as the node runs here.
						return rs.getTimestamp(1).toLocalDateTime().atZone(ZoneId.systemDefault()).toInstant();
					}
				}
				Thread.sleep(2);
			}
		}
		throw new IllegalStateException("The launch of asOf=" + asOf + " did not start within 60 s");
	}

	record Latency(double p50, double p95, double max) {
	}

	private static List<String> node(String name, List<String> common, String... settings) {
		List<String> node = new ArrayList<>();
		node.add(name);
		node.addAll(common);
		node.addAll(List.of(settings));
		return node;
	}

	/**
	 * Starts the nodes on a new database, launches the job on the first, waits for its
	 * end and stops them.
	 */
	private static Run run(String name, EmbeddedPostgres postgres, Path work, Path jar, Path file, int lines,
			List<List<String>> nodes) throws Exception {
		String database = "bench_" + name.replaceAll("[^a-z0-9]", "_");
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + database);
		}
		String url = postgres.getJdbcUrl("postgres", database);
		List<Node> started = new ArrayList<>();
		try {
			for (List<String> node : nodes) {
				List<String> settings = new ArrayList<>(node.subList(1, node.size()));
				settings.addAll(List.of("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
						"--spring.datasource.password=postgres"));
				started.add(Node.start(jar, work.resolve(database + "-" + node.get(0)), settings));
			}
			for (Node node : started) {
				node.awaitHealthy();
			}
			System.out.printf("%s: %d node(s) up, loading%n", name, started.size());
			long execution = started.get(0).launch(file);
			JsonNode end = started.get(0).awaitEnd(execution);
			if (!"COMPLETED".equals(end.path("status").asString())) {
				throw new IllegalStateException(name + " ended " + end);
			}
			try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
					Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("SELECT EXTRACT(EPOCH FROM (END_TIME - START_TIME))"
							+ " FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = " + execution)) {
				rs.next();
				double seconds = rs.getDouble(1);
				String state = state(connection);
				System.out.printf("%s: %.1f s; %s%n", name, seconds, state);
				return new Run(name, lines / seconds, seconds, state);
			}
		}
		finally {
			for (Node node : started) {
				node.stop();
			}
		}
	}

	private static String state(Connection connection) throws Exception {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT (SELECT COUNT(*) FROM reference),"
						+ " (SELECT md5(string_agg(id || visibility || coalesce(identifiers, '') || load_line, ','"
						+ " ORDER BY id)) FROM reference), (SELECT COUNT(*) FROM enhancement),"
						+ " (SELECT COUNT(*) FROM BATCHYARD_SKIPPED_ITEM)")) {
			rs.next();
			return "references=" + rs.getLong(1) + " md5=" + rs.getString(2) + " enhancements=" + rs.getLong(3)
					+ " skips=" + rs.getLong(4);
		}
	}

	record Run(String name, double rate, double seconds, String state) {

	}

	/**
	 * The application jar as a process of its own.
	 */
	private static final class Node {

		private final Process process;

		private final URI base;

		private final Path log;

		private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

		private Node(Process process, URI base, Path log) {
			this.process = process;
			this.base = base;
			this.log = log;
		}

		static Node start(Path jar, Path directory, List<String> settings) throws IOException {
			Files.createDirectories(directory);
			int port = FreePorts.next();
			List<String> command = new ArrayList<>(
					List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
							jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1",
							"--batchyard.embedded.sqs.enabled=false", "--batchyard.embedded.dynamodb.enabled=false",
							"--batchyard.embedded.sns.enabled=false", "--batchyard.embedded.postingest.provision=false",
							"--batchyard.jobs.postingest.enabled=false", "--batchyard.launcher.sqs.enabled=false",
							"--batchyard.scheduler.enabled=false", "--spring.main.banner-mode=off",
							"--batchyard.security.users.bench.password=" + PASSWORD_HASH,
							"--batchyard.security.users.bench.roles=OPERATOR"));
			// A setting given twice reaches Spring as "a,b": a node's own settings
			// replace the defaults of the same name.
			command.removeIf((argument) -> argument.startsWith("--") && settings.stream()
				.anyMatch((setting) -> setting.startsWith(argument.substring(0, argument.indexOf('=') + 1))));
			command.addAll(settings);
			Path log = directory.resolve("node.log");
			Process process = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new Node(process, URI.create("http://127.0.0.1:" + port), log);
		}

		void awaitHealthy() throws Exception {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("Node died; see " + this.log);
				}
				try {
					if (call("GET", "/actuator/health", null).statusCode() == 200) {
						return;
					}
				}
				catch (IOException ex) {
					// not listening yet
				}
				Thread.sleep(250);
			}
			throw new IllegalStateException("Node not healthy in 180 s; see " + this.log);
		}

		long launch(Path file) throws Exception {
			HttpResponse<String> response = call("POST", "/api/jobs/referenceLoadJob/executions",
					"{\"parameters\":{\"input\":\"file:" + file + "\"}}");
			if (response.statusCode() != 202) {
				throw new IllegalStateException("Launch refused: " + response.body());
			}
			return JSON.readTree(response.body()).path("executionId").asLong();
		}

		JsonNode awaitEnd(long execution) throws Exception {
			while (true) {
				JsonNode json = JSON.readTree(call("GET", "/api/executions/" + execution, null).body());
				if (!json.path("status").asString().matches("STARTING|STARTED|STOPPING")) {
					return json;
				}
				Thread.sleep(500);
			}
		}

		private HttpResponse<String> call(String method, String path, String json) throws Exception {
			HttpRequest.Builder request = HttpRequest.newBuilder(this.base.resolve(path))
				.timeout(Duration.ofSeconds(20))
				.header("Authorization", AUTHORIZATION);
			request = (json != null)
					? request.header("Content-Type", "application/json")
						.method(method, HttpRequest.BodyPublishers.ofString(json))
					: request.method(method, HttpRequest.BodyPublishers.noBody());
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}

		void stop() throws InterruptedException {
			this.process.destroy();
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}

	}

}
