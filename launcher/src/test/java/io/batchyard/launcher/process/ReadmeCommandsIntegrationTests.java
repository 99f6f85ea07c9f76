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
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.batchyard.test.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's own commands, read from README.md (not copied), run as a newcomer runs
 * them in a fresh clone: a directory holding only {@code launcher/target/batchyard.jar}
 * (this build's jar) and {@code sample-data/}. The run command until the application is
 * healthy, the HTTP launch and its read-back with the generated password, the command
 * line's {@code start} while the server runs (sharing its H2 file) and, in another fresh
 * directory, with no server, and the SQS example, whose {@code aws} commands run through
 * the AWS SDK with the README's own endpoint, queue URL, body and credentials.
 * <p>
 * The only changes to the commands: the fixed ports of the embedded default (8080, 9324,
 * 8000) become free ports, by settings appended to the {@code java} commands and in the
 * URLs, and the {@code java} commands get JVM options for a quicker start on a small
 * machine (as the other process tests do), which change no behaviour.
 */
class ReadmeCommandsIntegrationTests {

	private static final Path README = Path.of("..", "README.md");

	private static final String JAR = "launcher/target/batchyard.jar";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(180);

	private static final Pattern GENERATED_PASSWORD = Pattern.compile("generated password: (\\S+)");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ReadmeCommands readme = ReadmeCommands.read(README);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int serverPort = FreePorts.next();

	private final int sqsPort = FreePorts.next();

	private final int dynamoDbPort = FreePorts.next();

	private final int snsPort = FreePorts.next();

	/** {@code $NAME} and {@code <name>} values for the README's commands. */
	private final Map<String, String> variables = new HashMap<>();

	@Test
	void theReadmeCommandsWorkInAFreshCloneWithAndWithoutARunningServer(@TempDir Path clone, @TempDir Path cliOnly)
			throws Exception {
		fresh(clone);
		fresh(cliOnly);
		List<String> run = runCommand();
		List<String> cliStart = this.readme.command("Command line", Map.of(), "java", "-jar", JAR, "start");

		Process server = start(clone, run, "server");
		try {
			awaitHealthy(server, clone);
			Matcher password = GENERATED_PASSWORD.matcher(output(clone, "server"));
			assertThat(password.find()).as("the generated admin password in the output").isTrue();
			this.variables.put("PASSWORD", password.group(1));

			// HTTP API: the launch answers the execution id, the read-back uses it.
			List<String> api = this.readme.lines("HTTP API");
			assertThat(api).as("the HTTP API example").hasSize(2);
			JsonNode launched = JSON.readTree(curl(single(api.get(0)), 202));
			long executionId = launched.path("executionId").asLong();
			assertThat(executionId).isPositive();
			this.variables.put("executionId", String.valueOf(executionId));
			List<String> readBack = single(api.get(1));
			JsonNode execution = await("execution " + executionId + " over the README's GET")
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> JSON.readTree(curl(readBack, 200)),
						(view) -> !view.path("status").asString().matches("STARTING|STARTED|STOPPING"));
			assertThat(execution.path("job").asString()).isEqualTo("repositoryPurgeJob");
			assertThat(execution.path("status").asString()).isEqualTo("COMPLETED");
			assertThat(execution.path("exitDescription").asString())
				.isEqualTo("Removed 0 job-repository rows: 0 job executions, 0 job instances");
			String httpAsOf = parameter(execution, "asOf");

			// The command line next to the running server: its job runs in the command's
			// process, on the server's H2 file, and the server sees the execution.
			Result withServer = command(clone, cliStart, "cli-with-server");
			assertThat(withServer.exitCode()).as(withServer.output()).isZero();
			Matcher cliExecution = Pattern
				.compile("repositoryPurgeJob execution (\\d+): COMPLETED - Removed 0 job-repository rows: 0 job"
						+ " executions, 0 job instances")
				.matcher(withServer.output());
			assertThat(cliExecution.find()).as(withServer.output()).isTrue();
			JsonNode cliRun = api("/api/executions/" + cliExecution.group(1));
			assertThat(cliRun.path("status").asString()).isEqualTo("COMPLETED");
			assertThat(parameter(cliRun, "asOf")).isEqualTo(argument(cliStart, "asOf")).isNotEqualTo(httpAsOf);

			// The same command mistyped: refused with the usage, not a second server.
			List<String> mistyped = new ArrayList<>(cliStart);
			mistyped.set(mistyped.indexOf("start"), "strat");
			Result refused = command(clone, mistyped, "cli-mistyped");
			assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
			assertThat(refused.output()).contains("batchyard: unknown command 'strat'")
				.contains("Usage: start <job>")
				.doesNotContain("Exception");

			// SQS: the README's aws commands, through the SDK; the listener launches.
			sqsExample(httpAsOf, argument(cliStart, "asOf"));
		}
		finally {
			server.destroy();
			assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("server stopped after SIGTERM").isTrue();
		}
		assertThat(server.exitValue()).as("exit status after SIGTERM").isEqualTo(BatchyardProcess.TERMINATED);

		// The command line in a fresh clone with no server.
		Result alone = command(cliOnly, cliStart, "cli-alone");
		assertThat(alone.exitCode()).as(alone.output()).isZero();
		assertThat(alone.output()).contains(
				"repositoryPurgeJob execution 1: COMPLETED - Removed 0 job-repository rows: 0 job executions, 0 job instances");
	}

	private List<String> single(String line) {
		List<List<String>> commands = ReadmeCommands.split(line, this.variables);
		assertThat(commands).as("one command in: " + line).hasSize(1);
		return commands.get(0);
	}

	/**
	 * The run command of "Two commands": what follows the build, which is this build's
	 * own package phase.
	 */
	private List<String> runCommand() {
		List<List<String>> twoCommands = this.readme.commands("Two commands", Map.of());
		List<String> build = twoCommands.get(0);
		assertThat(build).as("the README's build command").startsWith("./mvnw").contains("package");
		List<String> run = twoCommands.get(1);
		assertThat(run).as("the README's run command").containsExactly("java", "-jar", JAR);
		return run;
	}

	private void sqsExample(String... takenAsOf) {
		List<List<String>> sqs = this.readme.commands("SQS messages", Map.of());
		assertThat(sqs).as("the SQS example").hasSize(3);
		List<String> export = sqs.get(0);
		assertThat(export.get(0)).isEqualTo("export");
		Map<String, String> environment = new HashMap<>();
		for (String assignment : export.subList(1, export.size())) {
			environment.put(assignment.substring(0, assignment.indexOf('=')),
					assignment.substring(assignment.indexOf('=') + 1));
		}
		StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials
			.create(environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY")));
		Region region = Region.of(environment.get("AWS_DEFAULT_REGION"));

		List<String> send = sqs.get(1);
		assertThat(send.subList(0, 5)).containsExactly("aws", "--endpoint-url", send.get(2), "sqs", "send-message");
		String body = option(send, "--message-body");
		JsonNode message = JSON.readTree(body);
		String job = message.path("job").asString();
		String asOf = message.path("parameters").path("asOf").asString();
		assertThat(asOf).as("the SQS example's own instance").isNotIn((Object[]) takenAsOf);
		try (SqsClient client = SqsClient.builder()
			.endpointOverride(URI.create(local(option(send, "--endpoint-url"))))
			.region(region)
			.credentialsProvider(credentials)
			.httpClient(UrlConnectionHttpClient.create())
			.build()) {
			client.sendMessage((request) -> request.queueUrl(local(option(send, "--queue-url"))).messageBody(body));
		}
		JsonNode launched = await("the launch from the README's SQS message").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> execution(job, asOf),
					(view) -> view != null && view.path("status").asString().equals("COMPLETED"));
		assertThat(launched.path("exitDescription").asString())
			.isEqualTo("Removed 0 job-repository rows: 0 job executions, 0 job instances");

		List<String> listTables = sqs.get(2);
		assertThat(listTables.subList(0, 5)).containsExactly("aws", "--endpoint-url", listTables.get(2), "dynamodb",
				"list-tables");
		try (DynamoDbClient client = DynamoDbClient.builder()
			.endpointOverride(URI.create(local(option(listTables, "--endpoint-url"))))
			.region(region)
			.credentialsProvider(credentials)
			.httpClient(UrlConnectionHttpClient.create())
			.build()) {
			assertThat(client.listTables().tableNames()).as("tables the application created")
				.contains("postingest-state");
		}
	}

	/** The execution of a job whose {@code asOf} parameter is the given one, if any. */
	private JsonNode execution(String job, String asOf) {
		for (JsonNode summary : api("/api/executions?job=" + job + "&size=100").path("content")) {
			JsonNode execution = api("/api/executions/" + summary.path("id").asLong());
			if (asOf.equals(parameter(execution, "asOf"))) {
				return execution;
			}
		}
		return null;
	}

	/**
	 * A README {@code curl} command, through the JDK's client: {@code -s}, {@code -u},
	 * {@code -X}, {@code -H}, {@code -d} (with {@code @file}) and the URL; any other
	 * option fails the test.
	 */
	private String curl(List<String> command, int expectedStatus) throws IOException, InterruptedException {
		assertThat(command.get(0)).isEqualTo("curl");
		String method = null;
		String url = null;
		String data = null;
		HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(30));
		for (int i = 1; i < command.size(); i++) {
			String word = command.get(i);
			if (word.equals("-s")) {
				continue;
			}
			if (word.startsWith("-X")) {
				method = (word.length() > 2) ? word.substring(2) : command.get(++i);
			}
			else if (word.equals("-u")) {
				request.header("Authorization", "Basic "
						+ Base64.getEncoder().encodeToString(command.get(++i).getBytes(StandardCharsets.UTF_8)));
			}
			else if (word.equals("-H")) {
				String header = command.get(++i);
				request.header(header.substring(0, header.indexOf(':')).trim(),
						header.substring(header.indexOf(':') + 1).trim());
			}
			else if (word.equals("-d")) {
				data = command.get(++i);
				assertThat(data).as("-d @file: not used by these examples").doesNotStartWith("@");
			}
			else if (word.startsWith("-")) {
				throw new AssertionError(
						"The README's curl uses " + word + ", which this test does not run: " + command);
			}
			else {
				url = word;
			}
		}
		assertThat(url).as("the URL of " + command).isNotNull();
		method = (method != null) ? method : ((data != null) ? "POST" : "GET");
		request.uri(URI.create(local(url.contains("://") ? url : "http://" + url)))
			.method(method,
					(data != null) ? HttpRequest.BodyPublishers.ofString(data) : HttpRequest.BodyPublishers.noBody());
		if (data != null && command.stream().noneMatch((word) -> word.startsWith("Content-Type"))) {
			request.header("Content-Type", "application/x-www-form-urlencoded");
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("%s answered %s", command, response.body()).isEqualTo(expectedStatus);
		return response.body();
	}

	/** A GET on the operations API, as the README's user. */
	private JsonNode api(String path) {
		try {
			return JSON.readTree(curl(
					List.of("curl", "-s", "-u", "admin:" + this.variables.get("PASSWORD"), "localhost:8080" + path),
					200));
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
	 * A README address on the embedded default's fixed ports, moved to this test's free
	 * ports; an address on any other port fails the test.
	 */
	private String local(String url) {
		Matcher address = Pattern.compile("^(https?://)(localhost|127\\.0\\.0\\.1):(\\d+)(.*)$").matcher(url);
		assertThat(address.matches()).as("a loopback address: " + url).isTrue();
		int port = switch (address.group(3)) {
			case "8080" -> this.serverPort;
			case "9324" -> this.sqsPort;
			case "8000" -> this.dynamoDbPort;
			default -> throw new AssertionError("The README uses port " + address.group(3) + ": " + url);
		};
		return address.group(1) + "127.0.0.1:" + port + address.group(4);
	}

	/** A fresh clone after the README's build: the jar and the sample data. */
	private static void fresh(Path clone) throws IOException {
		Path jar = clone.resolve(JAR);
		Files.createDirectories(jar.getParent());
		Files.createSymbolicLink(jar,
				Path.of(System.getProperty("batchyard.jar", "target/batchyard.jar")).toAbsolutePath());
		FileSystemUtils.copyRecursively(Path.of("..", "sample-data"), clone.resolve("sample-data"));
	}

	/**
	 * Starts a README {@code java} command in a directory: the JVM running this test runs
	 * it, and the server's settings move its ports.
	 */
	private Process start(Path directory, List<String> command, String name) throws IOException {
		assertThat(command.get(0)).isEqualTo("java");
		List<String> process = new ArrayList<>();
		process.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// Quicker on small machines; it changes no behaviour.
		process.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m"));
		process.addAll(command.subList(1, command.size()));
		process.addAll(List.of("--server.port=" + this.serverPort, "--server.address=127.0.0.1",
				"--batchyard.embedded.sqs.port=" + this.sqsPort,
				"--batchyard.embedded.dynamodb.port=" + this.dynamoDbPort,
				"--batchyard.embedded.sns.port=" + this.snsPort));
		Path log = log(directory, name);
		return new ProcessBuilder(process).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
	}

	private Result command(Path directory, List<String> command, String name) throws Exception {
		Process process = start(directory, command, name);
		try {
			assertThat(process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
				.as("%s ended within %s", command, COMMAND_TIMEOUT)
				.isTrue();
			return new Result(process.exitValue(), output(directory, name));
		}
		finally {
			process.destroyForcibly();
		}
	}

	private void awaitHealthy(Process server, Path directory) {
		HttpRequest health = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.serverPort + "/actuator/health"))
			.timeout(Duration.ofSeconds(5))
			.build();
		await("the README's run command healthy").atMost(STARTUP_TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptionsMatching((ex) -> ex instanceof IOException)
			.until(() -> {
				assertThat(server.isAlive()).as("server alive; output:%n%s", output(directory, "server")).isTrue();
				return this.http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
			});
	}

	private static Path log(Path directory, String name) throws IOException {
		Path logs = Path.of("target", "process-logs").toAbsolutePath();
		Files.createDirectories(logs);
		return logs.resolve("readme-" + directory.getFileName() + "-" + name + ".log");
	}

	private static String output(Path directory, String name) throws IOException {
		return Files.readString(log(directory, name));
	}

	private static String option(List<String> command, String name) {
		int index = command.indexOf(name);
		assertThat(index).as(name + " in " + command).isNotNegative().isLessThan(command.size() - 1);
		return command.get(index + 1);
	}

	private static String argument(List<String> command, String name) {
		return command.stream()
			.filter((word) -> word.startsWith(name + "="))
			.map((word) -> word.substring(name.length() + 1))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No " + name + "= in " + command));
	}

	private static String parameter(JsonNode execution, String name) {
		for (JsonNode parameter : execution.path("parameters")) {
			if (parameter.path("name").asString().equals(name)) {
				return parameter.path("value").asString();
			}
		}
		return null;
	}

	private record Result(int exitCode, String output) {
	}

}
