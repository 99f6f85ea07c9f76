package io.batchyard.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.batchyard.test.FreePorts;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Start-up of the embedded default, the README's run command ({@code java -jar
 * launcher/target/batchyard.jar}) in a directory of its own: the time from launching the
 * JVM to the first answered request ({@code /actuator/health} UP, polled every 50 ms),
 * and where it went, from the application's recorded start-up steps
 * ({@code /actuator/startup}): JVM and Spring Boot before the context, configuration
 * parsing, the web server, Flyway, each emulator and what is created on it (their start
 * offset and duration: they run in parallel), the time the context then waited for them,
 * the whole refresh, and the sample data loaded after readiness. Each round starts a
 * fresh directory ({@code fresh}: migrations, tables and queues created, sample data
 * loaded) and then starts again on it ({@code restart}).
 * <p>
 * With a second jar (for example the previous build), the rounds alternate between the
 * two, so a busy moment of the machine hits both; a jar without the start-up endpoint
 * only reports its totals. The figures printed last are medians. Run from the repository
 * root (the sample data is linked from {@code sample-data/}). Arguments:
 * {@code [rounds] [jar] [baselineJar]} (default 5, launcher/target/batchyard.jar, none).
 */
public final class StartupBenchmark {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * The bcrypt hash of {@code process-secret} (as the launcher's process tests use),
	 * for reading the start-up endpoint.
	 */
	private static final String PASSWORD_HASH = "{bcrypt}$2a$10$CZvKxlHqvbi0Mvlbfw5JlueaE7DVrXskj0NJtbWLUHZucytIARQUm";

	private static final String AUTHORIZATION = "Basic "
			+ Base64.getEncoder().encodeToString("bench:process-secret".getBytes(StandardCharsets.UTF_8));

	private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);

	private static final Pattern STARTED = Pattern
		.compile("Started BatchyardApplication in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private StartupBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		BenchArguments arguments = new BenchArguments("StartupBenchmark",
				"Usage: StartupBenchmark [rounds, default 5] [jar, default launcher/target/batchyard.jar]"
						+ " [baseline jar]",
				args, 3);
		int rounds = arguments.count(0, "rounds", 5, 1);
		Path jar = Path.of(arguments.text(1, "launcher/target/batchyard.jar")).toAbsolutePath();
		String baselineJar = arguments.text(2, null);
		Path baseline = (baselineJar != null) ? Path.of(baselineJar).toAbsolutePath() : null;
		Path sampleData = Path.of("sample-data").toAbsolutePath();
		if (!Files.isDirectory(sampleData)) {
			throw new IllegalStateException("Run from the repository root: no " + sampleData);
		}
		Map<String, Path> jars = new LinkedHashMap<>();
		jars.put("current", jar);
		if (baseline != null) {
			jars.put("baseline", baseline);
		}
		System.out.printf("%d round(s) of a fresh start and a restart of %s on %d processor(s)%n", rounds, jars,
				Runtime.getRuntime().availableProcessors());
		StartupBenchmark benchmark = new StartupBenchmark();
		Map<String, List<Map<String, Double>>> results = new TreeMap<>();
		List<String> order = new ArrayList<>(jars.keySet());
		for (int round = 1; round <= rounds; round++) {
			for (String label : order) {
				Path directory = Files.createTempDirectory("batchyard-startup-");
				Files.createSymbolicLink(directory.resolve("sample-data"), sampleData);
				for (String mode : List.of("fresh", "restart")) {
					Map<String, Double> figures = benchmark.start(jars.get(label), directory);
					System.out.printf("round %d %-8s %-7s %s%n", round, label, mode, format(figures));
					results.computeIfAbsent(label + " " + mode, (key) -> new ArrayList<>()).add(figures);
				}
				delete(directory);
			}
			// Alternate which jar starts first in a round.
			Collections.reverse(order);
		}
		System.out.println();
		System.out.println("Medians (seconds; 'x@y': started y s after the refresh began, took x s):");
		results.forEach((key, runs) -> System.out.printf("%-16s %s%n", key, format(medians(runs))));
	}

	private Map<String, Double> start(Path jar, Path directory) throws IOException, InterruptedException {
		int port = FreePorts.next();
		Path log = directory.resolve("batchyard-" + System.nanoTime() + ".log");
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
				jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1",
				"--batchyard.embedded.sqs.port=" + FreePorts.next(),
				"--batchyard.embedded.dynamodb.port=" + FreePorts.next(),
				"--batchyard.embedded.sns.port=" + FreePorts.next(),
				"--batchyard.security.users.bench.password=" + PASSWORD_HASH,
				"--batchyard.security.users.bench.roles=OPERATOR");
		Instant launched = Instant.now();
		long start = System.nanoTime();
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		// Interrupted (Ctrl-C), the benchmark must not leave the application running.
		Thread killer = new Thread(process::destroyForcibly, "kill-" + process.pid());
		Runtime.getRuntime().addShutdownHook(killer);
		try {
			URI base = URI.create("http://127.0.0.1:" + port);
			double healthy = awaitHealthy(process, base, start, log);
			Map<String, Double> figures = new LinkedHashMap<>();
			figures.put("healthy", healthy);
			Matcher started = STARTED.matcher(Files.readString(log));
			if (started.find()) {
				figures.put("startedIn", Double.parseDouble(started.group(1)));
			}
			figures.putAll(phases(base, launched));
			return figures;
		}
		finally {
			process.destroy();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
			Runtime.getRuntime().removeShutdownHook(killer);
		}
	}

	private double awaitHealthy(Process process, URI base, long start, Path log)
			throws IOException, InterruptedException {
		HttpRequest health = HttpRequest.newBuilder(base.resolve("/actuator/health"))
			.timeout(Duration.ofSeconds(5))
			.build();
		while (System.nanoTime() - start < STARTUP_TIMEOUT.toNanos()) {
			if (!process.isAlive()) {
				throw new IllegalStateException("The application exited with " + process.exitValue() + "; see " + log);
			}
			try {
				if (this.http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return Stopwatch.seconds(start);
				}
			}
			catch (ConnectException ex) {
				// not listening yet
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException("Not healthy within " + STARTUP_TIMEOUT + "; see " + log);
	}

	/**
	 * The phases of the recorded start-up steps, in seconds.
	 */
	private Map<String, Double> phases(URI base, Instant launched) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(base.resolve("/actuator/startup"))
			.header("Authorization", AUTHORIZATION)
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
		Map<String, Double> phases = new LinkedHashMap<>();
		if (response.statusCode() != 200) {
			return phases;
		}
		List<Step> steps = new ArrayList<>();
		for (JsonNode event : JSON.readTree(response.body()).path("timeline").path("events")) {
			JsonNode step = event.path("startupStep");
			Map<String, String> tags = new LinkedHashMap<>();
			for (JsonNode tag : step.path("tags")) {
				tags.put(tag.path("key").asString(), tag.path("value").asString());
			}
			steps.add(new Step(step.path("name").asString(), tags, Instant.parse(event.path("startTime").asString()),
					Instant.parse(event.path("endTime").asString())));
		}
		Step refresh = only(steps, "spring.context.refresh");
		phases.put("jvm", seconds(launched, only(steps, "spring.boot.application.starting").start()));
		phases.put("prepare", seconds(only(steps, "spring.boot.application.starting").start(), refresh.start()));
		phases.put("parse", only(steps, "spring.context.config-classes.parse").seconds());
		phases.put("webServer", only(steps, "spring.boot.webserver.create").seconds());
		phases.put("flyway", bean(steps, "flyway") + bean(steps, "flywayInitializer"));
		steps.stream()
			.filter((step) -> step.name().equals("batchyard.embedded.start"))
			.sorted(Comparator.comparing(Step::start))
			.forEach((step) -> {
				String task = step.tags().get("task");
				String key = task.contains(" on ") ? task.substring(0, task.indexOf(" on ")) : task;
				phases.put(key, step.seconds());
				phases.put(key + "@", seconds(refresh.start(), step.start()));
			});
		steps.stream()
			.filter((step) -> step.name().equals("batchyard.embedded.await"))
			.forEach((step) -> phases.put("awaitEmulators", step.seconds()));
		phases.put("refresh", refresh.seconds());
		phases.put("ready", seconds(launched, only(steps, "spring.boot.application.ready").start()));
		steps.stream()
			.filter((step) -> step.name().equals("batchyard.embedded.sample-data"))
			.forEach((step) -> phases.put("sample " + step.tags().get("sample"), step.seconds()));
		return phases;
	}

	private static Step only(List<Step> steps, String name) {
		return steps.stream()
			.filter((step) -> step.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No start-up step " + name));
	}

	private static double bean(List<Step> steps, String bean) {
		return steps.stream()
			.filter((step) -> step.name().equals("spring.beans.instantiate")
					&& bean.equals(step.tags().get("beanName")))
			.mapToDouble(Step::seconds)
			.sum();
	}

	private static double seconds(Instant from, Instant to) {
		return Duration.between(from, to).toNanos() / 1e9;
	}

	private static Map<String, Double> medians(List<Map<String, Double>> runs) {
		Map<String, Double> medians = new LinkedHashMap<>();
		for (String key : runs.get(0).keySet()) {
			List<Double> values = runs.stream()
				.map((run) -> run.get(key))
				.filter((value) -> value != null)
				.sorted()
				.toList();
			int middle = values.size() / 2;
			medians.put(key,
					(values.size() % 2 == 1) ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2);
		}
		return medians;
	}

	private static String format(Map<String, Double> figures) {
		StringBuilder line = new StringBuilder();
		figures.forEach((key, value) -> {
			if (key.endsWith("@")) {
				return;
			}
			line.append(key).append(' ').append(String.format("%.2f", value));
			Double at = figures.get(key + "@");
			if (at != null) {
				line.append('@').append(String.format("%.2f", at));
			}
			line.append("  ");
		});
		return line.toString().trim();
	}

	private static void delete(Path directory) throws IOException {
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	private record Step(String name, Map<String, String> tags, Instant start, Instant end) {

		double seconds() {
			return StartupBenchmark.seconds(this.start, this.end);
		}

	}

}
