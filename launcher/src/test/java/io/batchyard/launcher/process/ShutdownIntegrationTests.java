package io.batchyard.launcher.process;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.EmulatorClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.batchyard.launcher.process.PurgeScenario.JOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * From the moment SIGTERM arrives a node takes no new work, in this order: launches
 * answer 503, a launch message stays on the queue for another node, schedules stop
 * firing, and the running execution is asked to stop at once (not after the queue
 * listeners finished their long polls). A real {@code batchyard.jar} process with the SQS
 * launch trigger on an ElasticMQ of this JVM and a schedule firing every second.
 */
class ShutdownIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String SHUTTING_DOWN = "{\"error\":\"This runner node is shutting down\",\"status\":503}";

	/** How soon after the signal the node must have stopped taking work. */
	private static final Duration SIGNAL_DELIVERY = Duration.ofMillis(250);

	@Test
	void fromSigtermOnNothingNewStartsAndTheRunningExecutionIsStoppedAtOnce(@TempDir Path directory) {
		PurgeScenario.seeded(directory, new PurgeSeed(600));
		RepositoryDatabase database = new RepositoryDatabase(directory);
		String queue = "shutdown-launch-" + UUID.randomUUID().toString().substring(0, 8);
		try (SqsClient sqs = EmulatorClients.client(SqsClient.builder(), ElasticMqServer.endpoint());
				BatchyardProcess application = BatchyardProcess.start(directory, "shutdown",
						"--batchyard.housekeeping.chunk-size=20",
						// A long pause in each chunk: the purge is mid-chunk when the
						// signal arrives, so the node drains (and answers) for seconds.
						"--batchyard.housekeeping.chunk-pause=3s", "--batchyard.launcher.sqs.enabled=true",
						"--spring.cloud.aws.sqs.endpoint=" + ElasticMqServer.endpoint(),
						"--batchyard.launcher.sqs.create-queues=true", "--batchyard.launcher.sqs.launch-queue=" + queue,
						// Far longer than the test waits for the message to come back.
						"--batchyard.launcher.sqs.visibility-timeout=300s", "--batchyard.scheduler.enabled=true",
						"--batchyard.schedules.enhancement-lease-expiry.cron=* * * * * *")) {
			String queueUrl = sqs.getQueueUrl((request) -> request.queueName(queue)).queueUrl();
			long purge = application.launch(JOB, Map.of("asOf", PurgeSeed.AS_OF));
			await("a scheduled launch").atMost(Duration.ofSeconds(30))
				.until(() -> database
					.count("SELECT COUNT(*) FROM BATCHYARD_SCHEDULE_FIRE WHERE JOB_EXECUTION_ID IS NOT NULL") > 0);
			// Right after a chunk committed: the next boundary is a whole pause away.
			long committed = written(application.execution(purge));
			await("a chunk of execution " + purge + " committed").atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> written(application.execution(purge)) > committed);

			Instant sigterm = Instant.now();
			application.signalTerminate();
			String body = "{\"job\": \"" + JOB + "\", \"parameters\": {\"asOf\": \"2026-10-15T00:00:00Z\"}}";
			sqs.sendMessage((request) -> request.queueUrl(queueUrl).messageBody(body));
			List<Answer> answers = launchUntilClosed(application);
			assertThat(application.awaitExit(Duration.ofSeconds(60))).isEqualTo(BatchyardProcess.TERMINATED);

			// 1. Launches: 503 with the body, never accepted once the signal is in.
			assertThat(answers).as("launches after SIGTERM")
				.filteredOn((answer) -> answer.sent().isAfter(sigterm.plus(SIGNAL_DELIVERY)))
				.isNotEmpty()
				.allSatisfy((answer) -> assertThat(answer.status()).as(answer.toString()).isIn(503, -1));
			assertThat(answers).as("launches after SIGTERM")
				.anySatisfy((answer) -> assertThat(answer.body()).isEqualTo(SHUTTING_DOWN));

			// 2. The queue message: not launched, and back on the queue at once rather
			// than after the visibility timeout.
			List<Message> messages = sqs
				.receiveMessage((request) -> request.queueUrl(queueUrl)
					.waitTimeSeconds(10)
					.messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
				.messages();
			assertThat(messages).extracting(Message::body).containsExactly(body);
			assertThat(database.count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_PARAMS WHERE PARAMETER_VALUE = ?",
					"2026-10-15T00:00:00Z"))
				.as("executions launched from the message")
				.isZero();

			// 3. Nothing started after the signal: no execution, no schedule fire.
			Instant late = sigterm.plus(SIGNAL_DELIVERY);
			assertThat(database.count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE CREATE_TIME > ?",
					Timestamp.valueOf(LocalDateTime.ofInstant(late, ZoneId.systemDefault()))))
				.as("executions created after SIGTERM")
				.isZero();
			assertThat(database.count("SELECT COUNT(*) FROM BATCHYARD_SCHEDULE_FIRE WHERE FIRED_AT > ?",
					Timestamp.from(late)))
				.as("schedule fires after SIGTERM")
				.isZero();

			// 4. In that order, and the execution asked to stop at once: it ends
			// STOPPED.
			String output = application.output();
			int refused = line(output, "new launches are refused");
			int queues = line(output, "are no longer polled");
			assertThat(output.lines().toList().get(queues)).contains(queue);
			int schedules = line(output, "Shutting down: schedules");
			int stopping = line(output, "Shutting down: stopping job=" + JOB + " execution=" + purge);
			assertThat(List.of(refused, queues, schedules, stopping)).as("order of the shutdown steps in the log")
				.isSorted()
				.doesNotHaveDuplicates();
			assertThat(Duration.between(sigterm, time(output, stopping))).as("from SIGTERM to asking the purge to stop")
				.isLessThan(Duration.ofSeconds(2));
			assertThat(output).doesNotContain("still running: another node recovers them");
			assertThat(database.string("SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?", purge))
				.isEqualTo("STOPPED");
		}
	}

	/**
	 * Launches one purge after another until the server no longer answers.
	 */
	private static List<Answer> launchUntilClosed(BatchyardProcess application) {
		List<Answer> answers = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			Instant sent = Instant.now();
			String json = JSON.writeValueAsString(Map.of("parameters",
					Map.of("asOf", Instant.parse("2026-10-20T00:00:00Z").plusSeconds(i).toString())));
			try {
				HttpResponse<String> response = application.call("POST", "/api/jobs/" + JOB + "/executions", json);
				answers.add(new Answer(sent, response.statusCode(), response.body()));
			}
			catch (UncheckedIOException ex) {
				// The port closed: the node finished draining.
				answers.add(new Answer(sent, -1, ex.getMessage()));
				break;
			}
		}
		return answers;
	}

	private static long written(JsonNode execution) {
		JsonNode steps = execution.path("steps");
		return steps.isEmpty() ? 0 : steps.get(0).path("writeCount").asLong();
	}

	private static int line(String output, String text) {
		List<String> lines = output.lines().toList();
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains(text)) {
				return i;
			}
		}
		throw new AssertionError("No line with '" + text + "' in the output:\n" + output);
	}

	private static Instant time(String output, int line) {
		String text = output.lines().toList().get(line);
		return Instant.parse(text.substring(0, text.indexOf(' ')));
	}

	record Answer(Instant sent, int status, String body) {
	}

}
