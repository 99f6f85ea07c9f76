package io.batchyard.bench.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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

import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.EmulatorClients;
import io.batchyard.test.ImageServer;
import io.batchyard.test.TestImages;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code imageIngestJob} through the image batch API: a batch of {@value #IMAGES} PNGs
 * from a slow image server in this JVM ({@value #LATENCY_MS} ms per image), chunks of
 * {@value #CHUNK}, stored under {@code ./var/images} and announced on a queue of the
 * ElasticMQ in this JVM, which the application reaches through a {@link FaultProxy}. The
 * API launches the batch, so the restart policy applies without manual-launch settings.
 * Trace ids are replaced by the image's index in the end state.
 */
final class ImageIngestWorkload implements Workload {

	static final String JOB = "imageIngestJob";

	private static final int IMAGES = 60;

	private static final int CHUNK = 4;

	private static final int LATENCY_MS = 120;

	private static final JsonMapper JSON = JsonMapper.shared();

	private final ImageServer images;

	private final SqsClient sqs;

	private final String queue = "image_upload-campaign-" + UUID.randomUUID().toString().substring(0, 8);

	private final String queueUrl;

	private final List<String> urls = new ArrayList<>();

	ImageIngestWorkload() {
		this.images = ImageServer.start();
		this.images.latency(Duration.ofMillis(LATENCY_MS));
		for (int i = 0; i < IMAGES; i++) {
			this.urls.add(this.images.serve("/campaign/" + i + ".png", "image/png", TestImages.png(8 + i, 8)));
		}
		this.sqs = EmulatorClients.client(SqsClient.builder(), ElasticMqServer.endpoint());
		this.queueUrl = this.sqs.createQueue((request) -> request.queueName(this.queue)).queueUrl();
	}

	@Override
	public String job() {
		return JOB;
	}

	@Override
	public List<String> settings(Yard yard) {
		return List.of("--batchyard.jobs.image-ingest.queue=" + this.queue,
				"--batchyard.jobs.image-ingest.chunk-size=" + CHUNK,
				"--batchyard.jobs.image-ingest.concurrency=" + CHUNK,
				"--batchyard.jobs.image-ingest.send-back-off=100ms",
				"--batchyard.jobs.image-ingest.fetch.allowed-hosts=127.0.0.1");
	}

	@Override
	public Run launch(Node node, Yard yard, int run) {
		StringBuilder body = new StringBuilder("{\"images\":[");
		for (int i = 0; i < IMAGES; i++) {
			body.append((i > 0) ? "," : "")
				.append("{\"url\":\"")
				.append(this.urls.get(i))
				.append("\",\"name\":\"img")
				.append(i)
				.append(".png\"}");
		}
		body.append("]}");
		JsonNode created = node.json("POST", "/api/v1/batch", body.toString());
		return new Run(run, JOB, "batchId", created.path("job_id").asString());
	}

	@Override
	public EndState endState(Yard yard, Run run) {
		String batch = run.value();
		// Trace and group ids are random per run: replaced by the image's index.
		Map<String, String> traces = new HashMap<>();
		for (String row : yard.lines("SELECT trace_id, idx, group_id FROM image_batch_images WHERE batch_id = ?",
				batch)) {
			String[] fields = row.split("\\|");
			traces.put(fields[0], "T" + fields[1]);
			traces.putIfAbsent(fields[2], "G" + fields[1]);
		}
		EndState state = new EndState();
		state.add(EndState.ROWS,
				normalise(traces, batch,
						yard.lines("SELECT 'image', idx, original_filename, status, processed_path, error"
								+ " FROM image_batch_images WHERE batch_id = ?", batch)));
		state.add(EndState.ROWS,
				yard.lines("SELECT 'batch', status, total_images FROM image_batches WHERE id = ?", batch));
		state.add(EndState.BLOBS, blobs(yard, traces));
		state.add(EndState.MESSAGES, messages(traces, batch));
		List<String> executions = Campaign.executions(yard, run);
		state.add(EndState.COUNTS, Campaign.stepCounts(yard, String.join(",", executions)));
		state.add(EndState.REPORT, normalise(traces, batch, Campaign.lastExit(yard, executions)));
		return state;
	}

	@Override
	public Set<String> committedKeys(Yard yard, Run run) {
		Set<String> keys = new HashSet<>();
		yard.lines("SELECT idx FROM image_batch_images WHERE batch_id = ? AND status = 'completed'", run.value())
			.forEach((idx) -> keys.add("T" + idx));
		return keys;
	}

	@Override
	public int atLeastOnceWindow() {
		return CHUNK;
	}

	@Override
	public List<Fault> faults(Yard yard) {
		return yard.postgresql() ? List.of(Fault.SQS_DOWN, Fault.DATABASE_CONNECTIONS_DROPPED)
				: List.of(Fault.SQS_DOWN);
	}

	private static List<String> normalise(Map<String, String> traces, String batch, List<String> lines) {
		List<String> normalised = new ArrayList<>();
		for (String line : lines) {
			String value = line.replace(batch, "BATCH");
			for (Map.Entry<String, String> trace : traces.entrySet()) {
				value = value.replace(trace.getKey(), trace.getValue());
			}
			normalised.add(value);
		}
		return normalised;
	}

	/**
	 * Every stored file of the batch's images, whatever its name (leftovers included).
	 */
	private static List<String> blobs(Yard yard, Map<String, String> traces) {
		Path store = yard.directory().resolve("var/images");
		List<String> lines = new ArrayList<>();
		for (Map.Entry<String, String> trace : traces.entrySet()) {
			Path directory = store.resolve(trace.getKey());
			if (!Files.isDirectory(directory)) {
				continue;
			}
			try (Stream<Path> files = Files.walk(directory)) {
				for (Path file : files.filter(Files::isRegularFile).toList()) {
					lines.add(trace.getValue() + "/" + directory.relativize(file) + "|"
							+ EndState.sha256(Files.readAllBytes(file)));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return lines;
	}

	/** Drains the queue: every message the run sent, keyed by the image's index. */
	private List<String> messages(Map<String, String> traces, String batch) {
		List<String> lines = new ArrayList<>();
		int empty = 0;
		while (empty < 2) {
			List<Message> received = this.sqs
				.receiveMessage((request) -> request.queueUrl(this.queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
				.messages();
			empty = received.isEmpty() ? empty + 1 : 0;
			for (Message message : received) {
				ObjectNode body = (ObjectNode) JSON.readTree(message.body());
				body.remove("timestamp");
				if (batch.equals(body.path("batch_id").asString())) {
					String key = traces.getOrDefault(body.path("trace_id").asString(), "unknown");
					lines.add(normalise(traces, batch, List.of(key + "|" + body)).get(0));
				}
				this.sqs
					.deleteMessage((request) -> request.queueUrl(this.queueUrl).receiptHandle(message.receiptHandle()));
			}
		}
		return lines;
	}

	@Override
	public void close() {
		this.images.close();
		this.sqs.close();
	}

	static int port(String endpoint) {
		return URI.create(endpoint).getPort();
	}

}
