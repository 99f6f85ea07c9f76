package io.batchyard.launcher.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import io.batchyard.test.EmulatorClients;
import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.ImageServer;
import io.batchyard.test.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 in the middle of an image batch: the next process recovers the execution once
 * the dead node's heartbeat expires and, with no operator action, the restart policy
 * restarts it (the batch shows processing meanwhile); the restart resumes after the last
 * committed chunk, and the batch completes with every image stored exactly once. An image
 * stored before the kill (even by the chunk the kill interrupted) is not fetched again;
 * only images whose download was in flight at the kill are fetched a second time. The
 * image server (slow on purpose) and ElasticMQ run in the test JVM, so they outlive the
 * killed process.
 */
class ImageIngestCrashIntegrationTests {

	private static final int IMAGES = 30;

	private static final int CHUNK = 4;

	private static final JsonMapper JSON = JsonMapper.shared();

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void batchKilledMidStepIsRecoveredRestartedAndCompletesWithEveryImageStoredOnce(@TempDir Path directory)
			throws Exception {
		String queue = "image_upload-crash-" + UUID.randomUUID().toString().substring(0, 8);
		try (ImageServer images = ImageServer.start(); SqsClient sqs = sqs()) {
			String queueUrl = sqs.createQueue((request) -> request.queueName(queue)).queueUrl();
			images.latency(Duration.ofMillis(250));
			Map<String, byte[]> served = new HashMap<>();
			StringBuilder body = new StringBuilder("{\"images\":[");
			for (int i = 0; i < IMAGES; i++) {
				byte[] png = TestImages.png(10 + i, 10);
				served.put("img" + i + ".png", png);
				String url = images.serve("/crash/" + i + ".png", "image/png", png);
				body.append((i > 0) ? "," : "")
					.append("{\"url\":\"")
					.append(url)
					.append("\",\"name\":\"img")
					.append(i)
					.append(".png\"}");
			}
			body.append("]}");
			String[] settings = { "--spring.cloud.aws.sqs.endpoint=" + ElasticMqServer.endpoint(),
					"--batchyard.jobs.image-ingest.queue=" + queue, "--batchyard.jobs.image-ingest.chunk-size=" + CHUNK,
					"--batchyard.jobs.image-ingest.concurrency=" + CHUNK,
					"--batchyard.jobs.image-ingest.fetch.allowed-hosts=127.0.0.1",
					"--batchyard.jobs.imageIngestJob.restart.backoff=1s" };
			RepositoryDatabase database = new RepositoryDatabase(directory);
			Path store = directory.resolve("var/images");

			String batch;
			long first;
			Set<String> storedAtKill;
			Map<String, Integer> requestsAtKill = new HashMap<>();
			try (BatchyardProcess application = BatchyardProcess.start(directory, "image-crash-first", settings)) {
				HttpResponse<String> created = post(application, body.toString());
				assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
				batch = JSON.readTree(created.body()).path("job_id").asString();
				await("a few chunks of batch " + batch).atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(100))
					.until(() -> batch(application, batch).path("completed").asInt() >= 2 * CHUNK);
				assertThat(application.kill()).as("exit value of kill -9").isEqualTo(BatchyardProcess.KILLED);
				storedAtKill = storedFiles(store);
				for (int i = 0; i < IMAGES; i++) {
					requestsAtKill.put("img" + i + ".png", images.requests("/crash/" + i + ".png"));
				}
			}
			first = database
				.count("SELECT e.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION e JOIN BATCH_JOB_EXECUTION_PARAMS p"
						+ " ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID WHERE p.PARAMETER_NAME = 'batchId'"
						+ " AND p.PARAMETER_VALUE = ?", batch);
			assertThat(database.string("SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?", first))
				.isEqualTo("STARTED");
			long completedAtKill = database
				.count("SELECT COUNT(*) FROM image_batch_images WHERE batch_id = ? AND status = 'completed'", batch);
			assertThat(completedAtKill).isBetween((long) 2 * CHUNK, (long) IMAGES - 1);
			assertThat(storedAtKill.size()).isGreaterThanOrEqualTo((int) completedAtKill).isLessThan(IMAGES);

			try (BatchyardProcess application = BatchyardProcess.start(directory, "image-crash-second", settings)) {
				JsonNode recovered = await("heartbeat recovery of execution " + first).atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(200))
					.until(() -> application.execution(first),
							(execution) -> !execution.path("status").asString().equals("STARTED"));
				assertThat(recovered.path("status").asString()).isEqualTo("FAILED");
				assertThat(application.output()).contains("Recovered job=imageIngestJob execution=" + first);
				// Launched by the image API and lost with its node: the restart policy
				// restarts it without anyone acting, and the batch stays processing.
				assertThat(recovered.path("automaticRestart").path("category").asString()).isEqualTo("NODE_LOST");
				assertThat(recovered.path("automaticRestart").path("state").asString()).isIn("PENDING", "CLAIMED",
						"RESTARTED");
				assertThat(recovered.path("automaticRestart").path("attempt").asInt()).isOne();
				JsonNode waiting = batch(application, batch);
				assertThat(waiting.path("status").asString()).isEqualTo("processing");
				assertThat(waiting.has("error")).isFalse();

				long second = await("automatic restart of execution " + first).atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(200))
					.until(() -> application.execution(first).path("automaticRestart"),
							(restart) -> restart.path("state").asString().equals("RESTARTED"))
					.path("restartExecutionId")
					.asLong();
				JsonNode done = await("batch " + batch + " after restart " + second).atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(200))
					.until(() -> batch(application, batch),
							(view) -> view.path("status").asString().equals("completed"));
				assertThat(done.path("completed").asInt()).isEqualTo(IMAGES);
				assertThat(done.path("failed").asInt()).isZero();
				assertThat(done.path("progress").asDouble()).isEqualTo(100.0);
				assertThat(done.has("error")).isFalse();
				JsonNode restarted = application.execution(second);
				assertThat(restarted.path("status").asString()).isEqualTo("COMPLETED");
				assertThat(restarted.path("steps").get(0).path("readCount").asLong())
					.isEqualTo(IMAGES - completedAtKill);

				// Every image stored exactly once, at its row's path, with the served
				// bytes.
				Set<String> stored = storedFiles(store);
				assertThat(stored).hasSize(IMAGES);
				for (JsonNode image : done.path("images")) {
					String path = image.path("processed_path").asString();
					assertThat(stored).contains(path);
					assertThat(Files.readAllBytes(store.resolve(path)))
						.isEqualTo(served.get(image.path("original_filename").asString()));
				}
				// Nothing stored before the kill was fetched again; at most the downloads
				// in flight at the kill were repeated.
				int repeated = 0;
				for (JsonNode image : done.path("images")) {
					String name = image.path("original_filename").asString();
					int index = image.path("index").asInt();
					int requests = images.requests("/crash/" + index + ".png");
					if (storedAtKill.contains(image.path("processed_path").asString())) {
						assertThat(requests).as("requests of %s, stored before the kill", name).isOne();
					}
					else {
						assertThat(requests).as("requests of %s", name).isBetween(1, 2);
						assertThat(requests - 1).isEqualTo(requestsAtKill.get(name));
						repeated += requests - 1;
					}
				}
				assertThat(repeated).isLessThanOrEqualTo(CHUNK);
				// Each stored image announced; only the chunk the kill interrupted may
				// repeat.
				List<String> traces = drain(sqs, queueUrl);
				Set<String> distinct = new HashSet<>(traces);
				assertThat(distinct).hasSize(IMAGES);
				assertThat(traces.size() - distinct.size()).isLessThanOrEqualTo(CHUNK);
			}
		}
	}

	private HttpResponse<String> post(BatchyardProcess application, String body) {
		return send(HttpRequest.newBuilder(application.base().resolve("/api/v1/batch"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	private JsonNode batch(BatchyardProcess application, String id) {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(application.base().resolve("/api/v1/batch/" + id)).GET().build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Stored images as {@code trace/file} paths. */
	private static Set<String> storedFiles(Path store) throws IOException {
		if (!Files.isDirectory(store)) {
			return Set.of();
		}
		try (Stream<Path> files = Files.walk(store)) {
			return files.filter(Files::isRegularFile)
				.map((file) -> store.relativize(file).toString().replace('\\', '/'))
				.filter((path) -> !path.startsWith("image-batches/") && !path.contains(".tmp"))
				.collect(java.util.stream.Collectors.toSet());
		}
	}

	private static List<String> drain(SqsClient sqs, String queueUrl) {
		List<String> traces = new ArrayList<>();
		while (true) {
			List<Message> received = sqs
				.receiveMessage((request) -> request.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
				.messages();
			if (received.isEmpty()) {
				return traces;
			}
			for (Message message : received) {
				traces.add(JSON.readTree(message.body()).path("trace_id").asString());
				sqs.deleteMessage((request) -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
			}
		}
	}

	private static SqsClient sqs() {
		return EmulatorClients.client(SqsClient.builder(), ElasticMqServer.endpoint());
	}

}
