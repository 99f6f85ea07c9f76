package io.batchyard.launcher.process;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.batchyard.test.FreePorts;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code target/batchyard.jar} running as a separate JVM, in a working directory of its
 * own (so {@code ./var/batchyard} is private to the test), on a free loopback port, with
 * its output in {@code target/process-logs}. Closing it kills the process if it still
 * runs, and a JVM shutdown hook does the same if the test JVM ends first.
 */
public final class BatchyardProcess implements AutoCloseable {

	/** Exit value of a JVM ended by SIGKILL (128 + 9). */
	public static final int KILLED = 137;

	/** Exit value of a JVM that ran its shutdown hooks after SIGTERM (128 + 15). */
	public static final int TERMINATED = 143;

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(100);

	private static final AtomicInteger COUNTER = new AtomicInteger();

	private static final int PORT_ATTEMPTS = 3;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * The API user every process gets; its password's bcrypt hash is configured below.
	 */
	private static final String USER = "process-test";

	private static final String PASSWORD = "process-secret";

	private static final String PASSWORD_HASH = "{bcrypt}$2a$10$CZvKxlHqvbi0Mvlbfw5JlueaE7DVrXskj0NJtbWLUHZucytIARQUm";

	private static final String AUTHORIZATION = "Basic "
			+ java.util.Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

	private final Process process;

	private final Path log;

	private final URI base;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Thread killer;

	private BatchyardProcess(Process process, Path log, int port) {
		this.process = process;
		this.log = log;
		this.base = URI.create("http://127.0.0.1:" + port);
		this.killer = new Thread(process::destroyForcibly, "kill-" + log.getFileName());
		Runtime.getRuntime().addShutdownHook(this.killer);
	}

	/**
	 * Starts the application and waits until it answers {@code /actuator/health} with UP.
	 * @param workingDirectory the process's working directory
	 * @param name names the log file
	 * @param settings {@code --property=value} settings added to the test defaults,
	 * replacing a default of the same property
	 * @return the running application
	 */
	public static BatchyardProcess start(Path workingDirectory, String name, String... settings) {
		for (int attempt = 1;; attempt++) {
			int port = FreePorts.next();
			try {
				return start(workingDirectory, name, port, settings);
			}
			catch (PortTakenException ex) {
				// The port was free when chosen, but the application binds it only after
				// its slow start, and any outgoing connection on the machine may take an
				// ephemeral port meanwhile: choose another.
				if (attempt == PORT_ATTEMPTS) {
					throw new IllegalStateException(
							"Port " + port + " was taken before the application bound it, " + PORT_ATTEMPTS + " times",
							ex);
				}
			}
		}
	}

	private static BatchyardProcess start(Path workingDirectory, String name, int port, String... settings) {
		Path jar = Path.of(System.getProperty("batchyard.jar", "target/batchyard.jar")).toAbsolutePath();
		assertThat(jar).as("the application jar (run the package phase first)").isRegularFile();
		Path log = Path
			.of("target", "process-logs",
					ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + name + ".log")
			.toAbsolutePath();
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				// Quicker start on small machines; the test measures behaviour,
				// not speed.
				"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx384m", "-jar", jar.toString(),
				"--server.port=" + port, "--server.address=127.0.0.1", "--batchyard.embedded.sqs.enabled=false",
				"--batchyard.embedded.dynamodb.enabled=false", "--batchyard.embedded.sns.enabled=false",
				"--batchyard.embedded.postingest.provision=false", "--batchyard.jobs.postingest.enabled=false",

				"--batchyard.launcher.sqs.enabled=false", "--batchyard.scheduler.enabled=false",
				"--batchyard.runner.heartbeat-interval=500ms", "--batchyard.runner.heartbeat-timeout=3s",
				"--spring.main.banner-mode=off", "--batchyard.security.users." + USER + ".password=" + PASSWORD_HASH,
				"--batchyard.security.users." + USER + ".roles=OPERATOR"));
		for (String setting : settings) {
			// Spring joins repeated options with commas ("false,true"), so a test's
			// setting replaces the default instead of following it.
			int equals = setting.indexOf('=');
			String option = (equals > 0) ? setting.substring(0, equals + 1) : setting;
			command.removeIf((argument) -> argument.startsWith(option) || argument.equals(setting));
			command.add(setting);
		}
		try {
			Files.createDirectories(log.getParent());
			Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			BatchyardProcess application = new BatchyardProcess(process, log, port);
			try {
				application.awaitHealthy();
			}
			catch (RuntimeException | AssertionError ex) {
				application.close();
				if (application.output().contains("Port " + port + " was already in use")) {
					throw new PortTakenException(ex);
				}
				throw ex;
			}
			return application;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitHealthy() {
		await("health of the process logging to " + this.log).atMost(STARTUP_TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptionsMatching((ex) -> ex instanceof IOException || ex instanceof UncheckedIOException)
			.until(() -> {
				assertThat(this.process.isAlive()).as("process alive; output:%n%s", tail()).isTrue();
				return call("GET", "/actuator/health", null).statusCode() == 200;
			});
	}

	/**
	 * Launches a job through the API.
	 * @param job the job name
	 * @param parameters its parameters
	 * @return the new execution's id
	 */
	public long launch(String job, Map<String, String> parameters) {
		HttpResponse<String> response = call("POST", "/api/jobs/" + job + "/executions",
				JSON.writeValueAsString(Map.of("parameters", parameters)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return JSON.readTree(response.body()).path("executionId").asLong();
	}

	/**
	 * Restarts an execution through the API.
	 * @param executionId the FAILED or STOPPED execution
	 * @return the new execution's id
	 */
	public long restart(long executionId) {
		HttpResponse<String> response = call("POST", "/api/executions/" + executionId + "/restart", null);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return JSON.readTree(response.body()).path("executionId").asLong();
	}

	/**
	 * Reads an execution through the API.
	 * @param executionId the execution
	 * @return its JSON view (status, exitDescription, steps[], allowedActions[])
	 */
	public JsonNode execution(long executionId) {
		HttpResponse<String> response = call("GET", "/api/executions/" + executionId, null);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	/**
	 * One API call as the process's OPERATOR user, whatever it answers.
	 * @param method the method
	 * @param path the path
	 * @param json the body, or {@code null}
	 * @return the response
	 * @throws UncheckedIOException if the server does not answer (for example closed)
	 */
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

	/**
	 * Sends SIGKILL ({@link Process#destroyForcibly()}) and waits for the process to go.
	 * @return its exit value ({@link #KILLED} when it really was kill -9)
	 */
	public int kill() {
		this.process.destroyForcibly();
		return awaitExit(Duration.ofSeconds(20));
	}

	/**
	 * Sends SIGTERM ({@link Process#destroy()}) and waits for the process to exit by
	 * itself.
	 * @param timeout how long the shutdown may take
	 * @return its exit value ({@link #TERMINATED} after an orderly shutdown)
	 */
	public int terminate(Duration timeout) {
		signalTerminate();
		return awaitExit(timeout);
	}

	/**
	 * Sends SIGTERM ({@link Process#destroy()}) and returns at once.
	 */
	public void signalTerminate() {
		this.process.destroy();
	}

	/**
	 * Waits for the process to exit.
	 * @param timeout how long it may take
	 * @return its exit value
	 */
	public int awaitExit(Duration timeout) {
		try {
			assertThat(this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
				.as("process exited within %s; output:%n%s", timeout, tail())
				.isTrue();
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The process's output so far.
	 * @return stdout and stderr
	 */
	public String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String tail() {
		String output = output();
		return output.substring(Math.max(0, output.length() - 6000));
	}

	/**
	 * The application's base URL, for calls outside the operations API.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public URI base() {
		return this.base;
	}

	public long pid() {
		return this.process.pid();
	}

	/**
	 * Whether the process still runs.
	 * @return {@code false} once it exited or was killed
	 */
	public boolean alive() {
		return this.process.isAlive();
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(20, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.killer);
		}
		catch (IllegalStateException ex) {
			// the JVM is shutting down: the hook runs anyway
		}
	}

	/** The application could not bind the port it was given. */
	private static final class PortTakenException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		PortTakenException(Throwable cause) {
			super(cause);
		}

	}

}
