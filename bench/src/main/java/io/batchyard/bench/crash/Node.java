package io.batchyard.bench.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.batchyard.test.FreePorts;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One server node of the campaign: the application jar as its own JVM, in the job's
 * working directory, on a free loopback port, with its output appended to a log file.
 * Unlike the launcher's process-test helper it throws plain exceptions (the campaign
 * counts a failed trial instead of stopping) and every wait is bounded by the caller's
 * deadline.
 */
final class Node implements AutoCloseable {

	/** The bcrypt hash of {@code process-secret}, as the launcher's process tests use. */
	private static final String PASSWORD_HASH = "{bcrypt}$2a$10$CZvKxlHqvbi0Mvlbfw5JlueaE7DVrXskj0NJtbWLUHZucytIARQUm";

	private static final String AUTHORIZATION = "Basic "
			+ Base64.getEncoder().encodeToString("campaign:process-secret".getBytes(StandardCharsets.UTF_8));

	private static final JsonMapper JSON = JsonMapper.shared();

	/**
	 * How long a launch answered 503 is tried again: a database back within a fault's
	 * window.
	 */
	private static final Duration LAUNCH_RETRIES_FOR = Duration.ofSeconds(30);

	private final Process process;

	private final URI base;

	private final Path log;

	private final Thread killer;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Node(Process process, int port, Path log) {
		this.process = process;
		this.base = URI.create("http://127.0.0.1:" + port);
		this.log = log;
		this.killer = new Thread(process::destroyForcibly, "kill-" + process.pid());
		Runtime.getRuntime().addShutdownHook(this.killer);
	}

	/**
	 * Starts a node and waits until {@code /actuator/health} answers 200.
	 * @param jar the application jar
	 * @param directory its working directory
	 * @param log where its output goes (appended)
	 * @param settings {@code --property=value} settings
	 * @param deadline when to give up (nanoTime)
	 * @return the healthy node
	 */
	static Node start(Path jar, Path directory, Path log, List<String> settings, long deadline) {
		for (int attempt = 1;; attempt++) {
			int port = FreePorts.next();
			List<String> command = new ArrayList<>(List.of(
					Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
					"-XX:+UseSerialGC", "-Xss512k", "-Xmx384m", "-jar", jar.toString(), "--server.port=" + port,
					"--server.address=127.0.0.1", "--spring.main.banner-mode=off",
					"--batchyard.security.users.campaign.password=" + PASSWORD_HASH,
					"--batchyard.security.users.campaign.roles=OPERATOR"));
			command.addAll(settings);
			Node node;
			try {
				Files.createDirectories(log.getParent());
				Files.writeString(log, "=== " + String.join(" ", command) + System.lineSeparator(),
						java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
				Process process = new ProcessBuilder(command).directory(directory.toFile())
					.redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
					.start();
				node = new Node(process, port, log);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			try {
				node.awaitHealthy(deadline);
				return node;
			}
			catch (RuntimeException ex) {
				node.close();
				// The port was free when chosen, but another connection may take it
				// during the slow start: try another.
				if (attempt < 3 && node.output().contains("Port " + port + " was already in use")) {
					continue;
				}
				throw ex;
			}
		}
	}

	private void awaitHealthy(long deadline) {
		while (true) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"The node exited with " + this.process.exitValue() + "; see " + this.log);
			}
			try {
				if (call("GET", "/actuator/health", null).statusCode() == 200) {
					return;
				}
			}
			catch (UncheckedIOException ex) {
				// not listening yet
			}
			Waits.pause(Duration.ofMillis(200), deadline, "health of the node logging to " + this.log);
		}
	}

	/**
	 * Launches a job through the operations API, as a client that honours the API's
	 * answers would: a {@code 503} (the database lost while the launch was served) is
	 * tried again after its {@code Retry-After}, and a {@code 409} on such a second
	 * attempt names the execution the first attempt did start.
	 * @param job the job
	 * @param parametersJson {@code {"name": "value"}} as JSON
	 * @return the execution id
	 */
	long launch(String job, String parametersJson) {
		return launch(job, () -> {
			HttpResponse<String> response = call("POST", "/api/jobs/" + job + "/executions",
					"{\"parameters\":" + parametersJson + "}");
			return new Answer(response.statusCode(), response.body(),
					response.headers().firstValueAsLong("Retry-After").orElse(1));
		}, System.nanoTime() + LAUNCH_RETRIES_FOR.toNanos(), Duration.ofSeconds(5));
	}

	static long launch(String job, Supplier<Answer> attempt, long deadline, Duration longestPause) {
		boolean retried = false;
		while (true) {
			Answer answer = attempt.get();
			if (answer.status() == 202) {
				return JSON.readTree(answer.body()).path("executionId").asLong();
			}
			JsonNode error = (answer.body() == null || answer.body().isBlank()) ? null : JSON.readTree(answer.body());
			if (retried && answer.status() == 409 && error != null && error.path("executionId").isNumber()) {
				return error.path("executionId").asLong();
			}
			if (answer.status() != 503 || System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"Launch of " + job + " answered " + answer.status() + ": " + answer.body());
			}
			Duration pause = Duration.ofSeconds(Math.max(0, answer.retryAfterSeconds()));
			Waits.pause((pause.compareTo(longestPause) > 0) ? longestPause : pause, deadline,
					"launch of " + job + " after 503");
			retried = true;
		}
	}

	/**
	 * One answer of the launch API.
	 *
	 * @param status the HTTP status
	 * @param body the body
	 * @param retryAfterSeconds its {@code Retry-After}
	 */
	record Answer(int status, String body, long retryAfterSeconds) {
	}

	/**
	 * Restarts an execution through the operations API.
	 * @param executionId the FAILED or STOPPED execution
	 * @return the API's answer
	 */
	HttpResponse<String> restart(long executionId) {
		return call("POST", "/api/executions/" + executionId + "/restart", null);
	}

	JsonNode json(String method, String path, String body) {
		HttpResponse<String> response = call(method, path, body);
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(
					method + " " + path + " answered " + response.statusCode() + ": " + response.body());
		}
		return JSON.readTree(response.body());
	}

	HttpResponse<String> call(String method, String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.base.resolve(path))
			.timeout(Duration.ofSeconds(20))
			.header("Authorization", AUTHORIZATION);
		if (json != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(json));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** kill -9, and wait for the process to go. */
	void kill() {
		this.process.destroyForcibly();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The node did not die within 30 s of SIGKILL: " + this.log);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	boolean alive() {
		return this.process.isAlive();
	}

	String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.killer);
		}
		catch (IllegalStateException ex) {
			// the JVM is shutting down: the hook runs anyway
		}
	}

}
