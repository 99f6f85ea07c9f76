package io.batchyard.launcher.imagebatch;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.batchyard.test.EmulatorClients;
import io.batchyard.jobs.imageingest.ImageBatches;
import io.batchyard.jobs.imageingest.ImageIngestJobConfiguration;
import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.ImageServer;
import io.batchyard.test.RepositoryFixture;
import io.batchyard.test.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code WS /api/v1/batch/{job_id}/ws} on the running server (a real port, a real
 * WebSocket client, no login): live progress of a running batch, the current state first
 * for a late subscriber, connections that stay open after {@code job_complete} until the
 * client leaves or goes silent, 404 for an unknown batch, text ping/pong, server pings
 * keeping a quiet connection open, and a client that answers nothing closed after the
 * idle timeout.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ImageBatchWebSocketTests {

	static final String QUEUE = "image_upload-ws-" + UUID.randomUUID().toString().substring(0, 8);

	static ImageServer images = ImageServer.start();

	static SqsClient sqs;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.aws.sqs.endpoint", ElasticMqServer::endpoint);
		registry.add("batchyard.jobs.image-ingest.queue", () -> QUEUE);
		registry.add("batchyard.jobs.image-ingest.chunk-size", () -> "1");
		registry.add("batchyard.jobs.image-ingest.fetch.allowed-hosts", () -> "127.0.0.1");
		registry.add("batchyard.jobs.image-ingest.storage.directory", () -> "target/test-images/" + UUID.randomUUID());
		registry.add("batchyard.image-batch-api.websocket.poll-interval", () -> "100ms");
		registry.add("batchyard.image-batch-api.websocket.ping-interval", () -> "300ms");
		registry.add("batchyard.image-batch-api.websocket.idle-timeout", () -> "1500ms");
	}

	@LocalServerPort
	int port;

	@Autowired
	ImageBatches imageBatches;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	ImageBatchProgressHandler progressHandler;

	@BeforeAll
	static void queue() {
		sqs = EmulatorClients.client(SqsClient.builder(), ElasticMqServer.endpoint());
		sqs.createQueue((request) -> request.queueName(QUEUE));
	}

	@AfterAll
	static void stop() {
		images.close();
		sqs.close();
	}

	/** Every client a test connected: the server keeps them until they leave. */
	private final List<Client> clients = new ArrayList<>();

	@AfterEach
	void cleanUp() throws IOException {
		images.latency(Duration.ZERO);
		for (Client client : this.clients) {
			if (client.session.isOpen()) {
				client.session.close();
			}
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.progressHandler.subscriberCount() == 0);
	}

	@Test
	void aSubscriberFollowsABatchToItsEnd() throws Exception {
		images.latency(Duration.ofMillis(400));
		String ok = images.serve("/ws/ok.png", "image/png", TestImages.png(3, 3));
		String body = "{\"images\":[{\"url\":\"" + ok + "\"},{\"url\":\"" + images.url("/ws/missing.png")
				+ "\"},{\"url\":\"" + ok + "\",\"name\":\"again.png\"}]}";
		String id = submit(body);

		Client client = connect(id);
		List<JsonNode> messages = client.untilJobComplete();

		assertThat(messages.get(0).path("type").asString()).isEqualTo("progress");
		assertThat(messages.get(0).path("job_id").asString()).isEqualTo(id);
		assertThat(messages.get(0).path("total_images").asInt()).isEqualTo(3);
		List<JsonNode> imageCompletes = messages.stream()
			.filter((message) -> message.path("type").asString().equals("image_complete"))
			.toList();
		assertThat(imageCompletes).extracting((message) -> message.path("image").path("index").asInt())
			.containsExactlyInAnyOrder(0, 1, 2);
		JsonNode failed = imageCompletes.stream()
			.filter((message) -> message.path("image").path("index").asInt() == 1)
			.findFirst()
			.orElseThrow();
		assertThat(failed.path("image").path("status").asString()).isEqualTo("failed");
		assertThat(failed.path("image").path("error").asString())
			.isEqualTo("Failed to download image: status code 404");
		JsonNode stored = imageCompletes.stream()
			.filter((message) -> message.path("image").path("index").asInt() == 2)
			.findFirst()
			.orElseThrow();
		assertThat(stored.path("image").path("processed_path").asString()).endsWith("/again.png");
		JsonNode last = messages.get(messages.size() - 1);
		assertThat(last.path("type").asString()).isEqualTo("job_complete");
		assertThat(last.path("status").asString()).isEqualTo("completed");
		assertThat(last.path("completed").asInt()).isEqualTo(2);
		assertThat(last.path("failed").asInt()).isEqualTo(1);
		assertThat(last.path("progress").asDouble()).isEqualTo(100.0);
		assertThat(last.path("timestamp").asString()).endsWith("Z");
		assertThat(last.has("error")).isFalse();
		// The server does not hang up: the client leaves when it wants to.
		client.session.sendMessage(new TextMessage("ping"));
		assertThat(client.next().path("type").asString()).isEqualTo("pong");
		assertThat(client.session.isOpen()).isTrue();
		assertThat(client.closeStatus).isNotDone();
		client.session.close(CloseStatus.NORMAL);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.progressHandler.subscriberCount() == 0);
	}

	@Test
	void twoSubscribersOfOneBatchEachGetEveryImageAndTheEnd() throws Exception {
		// Long enough for both to subscribe before an image ends (one read per poll
		// serves both).
		images.latency(Duration.ofMillis(1000));
		String ok = images.serve("/ws/both.png", "image/png", TestImages.png(3, 3));
		String id = submit("{\"images\":[{\"url\":\"" + ok + "\"},{\"url\":\"" + ok + "\",\"name\":\"second.png\"}]}");

		Client first = connect(id);
		Client second = connect(id);

		for (Client client : List.of(first, second)) {
			List<JsonNode> messages = client.untilJobComplete();
			assertThat(messages.stream()
				.filter((message) -> message.path("type").asString().equals("image_complete"))
				.map((message) -> message.path("image").path("index").asInt())).containsExactlyInAnyOrder(0, 1);
			assertThat(messages.get(messages.size() - 1).path("type").asString()).isEqualTo("job_complete");
			assertThat(messages.get(messages.size() - 1).path("completed").asInt()).isEqualTo(2);
		}
	}

	@Test
	void aLateSubscriberFirstGetsTheCurrentStateThenStaysConnectedAnsweringPingsUntilItLeaves() throws Exception {
		String ok = images.serve("/ws/late.png", "image/png", TestImages.png(3, 3));
		String id = submit("{\"images\":[{\"url\":\"" + ok + "\"}]}");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.imageBatches.find(id).orElseThrow().status().equals("completed"));

		Client client = connect(id);
		// Straight after the handshake.
		client.session.sendMessage(new TextMessage("ping"));

		List<JsonNode> messages = List.of(client.next(), client.next(), client.next());
		assertThat(messages).extracting((message) -> message.path("type").asString())
			.containsExactly("progress", "job_complete", "pong");
		assertThat(messages.get(0).path("status").asString()).isEqualTo("completed");
		assertThat(messages.get(0).path("completed").asInt()).isOne();
		assertThat(messages.get(1).path("status").asString()).isEqualTo("completed");
		// Longer than the idle timeout: the client answers the server's pings, so the
		// connection stays, and nothing more is sent about the ended batch.
		await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
		assertThat(client.session.isOpen()).isTrue();
		assertThat(client.messages).isEmpty();
		client.session.sendMessage(new TextMessage("{\"type\": \"ping\"}"));
		assertThat(client.next().path("type").asString()).isEqualTo("pong");
		assertThat(this.progressHandler.subscriberCount()).isOne();

		client.session.close(CloseStatus.NORMAL);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.progressHandler.subscriberCount() == 0);
		assertThat(client.closeStatus.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(CloseStatus.NORMAL.getCode());
	}

	@Test
	void aSilentLateSubscriberOfAnEndedBatchGetsItsStateAndPongThenIsClosedOnlyAfterTheIdleTimeout() throws Exception {
		String ok = images.serve("/ws/silent.png", "image/png", TestImages.png(3, 3));
		String id = submit("{\"images\":[{\"url\":\"" + ok + "\"}]}");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.imageBatches.find(id).orElseThrow().status().equals("completed"));

		try (RawClient raw = RawClient.connect(this.port, id)) {
			long start = System.nanoTime();
			raw.sendText("ping");
			List<Frame> frames = raw.untilClosed();
			long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

			List<String> texts = frames.stream()
				.filter((frame) -> frame.opcode() == 0x1)
				.map((frame) -> JsonMapper.shared().readTree(frame.text()).path("type").asString())
				.toList();
			assertThat(texts).containsExactly("progress", "job_complete", "pong");
			assertThat(frames).extracting(Frame::opcode).contains(0x9);
			Frame close = frames.get(frames.size() - 1);
			assertThat(close.opcode()).isEqualTo(0x8);
			assertThat(close.closeReason()).startsWith("Inactive for");
			assertThat(elapsed).isBetween(1000L, 6000L);
		}
	}

	@Test
	void aSubscriberOfABatchWhoseExecutionFailedGetsFailedWithTheReason() throws Exception {
		String id = pendingBatch();
		this.imageBatches.started(id);
		RepositoryFixture fixture = new RepositoryFixture(this.jobRepository);
		long execution = fixture.execution(fixture.instance(ImageIngestJobConfiguration.JOB_NAME,
				new JobParametersBuilder().addString(ImageIngestJobConfiguration.BATCH_ID, id).toJobParameters()),
				BatchStatus.FAILED, java.time.LocalDateTime.now())
			.getId();

		Client client = connect(id);

		JsonNode progress = client.next();
		JsonNode complete = client.next();
		String error = "Batch processing stopped: job execution " + execution + " failed (the server log has the"
				+ " details); it is not restarted automatically (restart.on does not include unknown failures), an"
				+ " operator can restart it";
		assertThat(progress.path("type").asString()).isEqualTo("progress");
		assertThat(progress.path("status").asString()).isEqualTo("failed");
		assertThat(progress.path("error").asString()).isEqualTo(error);
		assertThat(progress.path("failed").asInt()).isOne();
		assertThat(complete.path("type").asString()).isEqualTo("job_complete");
		assertThat(complete.path("status").asString()).isEqualTo("failed");
		assertThat(complete.path("error").asString()).isEqualTo(error);
		client.session.close();
	}

	@Test
	void anUnknownBatchIsRefused() {
		String id = UUID.randomUUID().toString();
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> connect(id))
			.satisfies((ex) -> assertThat(stackText(ex)).contains("404"));
	}

	@Test
	void pingsKeepAQuietConnectionOpenAndTextPingIsAnswered() throws Exception {
		String id = pendingBatch();
		Client client = connect(id);
		assertThat(client.next().path("type").asString()).isEqualTo("progress");

		// Longer than the idle timeout: the client answers the server's pings.
		await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
		assertThat(client.session.isOpen()).isTrue();
		client.session.sendMessage(new TextMessage("ping"));
		assertThat(client.next().path("type").asString()).isEqualTo("pong");
		client.session.close();
	}

	@Test
	void aClientThatAnswersNothingIsClosedAfterTheIdleTimeout() throws Exception {
		String id = pendingBatch();
		try (RawClient raw = RawClient.connect(this.port, id)) {
			long start = System.nanoTime();
			List<Frame> frames = raw.untilClosed();
			long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			assertThat(frames).extracting(Frame::opcode).contains(0x1, 0x9);
			assertThat(frames.get(frames.size() - 1).closeReason()).startsWith("Inactive for");
			assertThat(elapsed).isBetween(1000L, 6000L);
		}
	}

	private String pendingBatch() {
		// A batch without a job: it stays pending, so nothing ends the connection but
		// idleness.
		String id = UUID.randomUUID().toString();
		this.imageBatches.create(id, List.of(new ImageBatches.NewImage(0, "x.png", "http://127.0.0.1:9/x.png", null,
				UUID.randomUUID().toString(), UUID.randomUUID().toString())));
		return id;
	}

	private String submit(String body) throws Exception {
		var http = java.net.http.HttpClient.newHttpClient();
		var response = http
			.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/batch"))
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return JsonMapper.shared().readTree(response.body()).path("job_id").asString();
	}

	private Client connect(String id) throws Exception {
		Client client = new Client();
		client.session = new StandardWebSocketClient()
			.execute(client, "ws://127.0.0.1:" + this.port + "/api/v1/batch/" + id + "/ws")
			.get(10, TimeUnit.SECONDS);
		this.clients.add(client);
		return client;
	}

	private static String stackText(Throwable ex) {
		StringBuilder text = new StringBuilder();
		for (Throwable t = ex; t != null; t = t.getCause()) {
			text.append(t).append('\n');
		}
		return text.toString();
	}

	static final class Client extends TextWebSocketHandler {

		final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();

		final CompletableFuture<CloseStatus> closeStatus = new CompletableFuture<>();

		WebSocketSession session;

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) {
			this.messages.add(JsonMapper.shared().readTree(message.getPayload()));
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			this.closeStatus.complete(status);
		}

		JsonNode next() throws InterruptedException {
			JsonNode message = this.messages.poll(10, TimeUnit.SECONDS);
			assertThat(message).as("a message within 10 s").isNotNull();
			return message;
		}

		/** The messages up to and with {@code job_complete}. */
		List<JsonNode> untilJobComplete() throws InterruptedException {
			List<JsonNode> received = new ArrayList<>();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (received.isEmpty()
					|| !received.get(received.size() - 1).path("type").asString().equals("job_complete")) {
				JsonNode message = this.messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
				assertThat(message).as("job_complete within 30 s, after " + received).isNotNull();
				received.add(message);
			}
			return received;
		}

	}

	/** A frame the server sent. */
	record Frame(int opcode, byte[] payload) {

		String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		String closeReason() {
			return (this.payload.length > 2)
					? new String(this.payload, 2, this.payload.length - 2, StandardCharsets.UTF_8) : "";
		}

	}

	/**
	 * A WebSocket client on a plain socket that answers nothing (no pong), as a client
	 * that went away without closing.
	 */
	static final class RawClient implements AutoCloseable {

		private final Socket socket;

		private final DataInputStream in;

		private RawClient(Socket socket) throws IOException {
			this.socket = socket;
			this.in = new DataInputStream(socket.getInputStream());
		}

		static RawClient connect(int port, String id) throws IOException {
			Socket socket = new Socket("127.0.0.1", port);
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /api/v1/batch/" + id + "/ws HTTP/1.1\r\nHost: 127.0.0.1:" + port
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 13\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			RawClient client = new RawClient(socket);
			assertThat(client.readLine()).contains("101");
			while (!client.readLine().isEmpty()) {
				// headers
			}
			return client;
		}

		/** Sends a masked text frame, as clients must. */
		void sendText(String text) throws IOException {
			byte[] payload = text.getBytes(StandardCharsets.UTF_8);
			byte[] mask = { 0x11, 0x22, 0x33, 0x44 };
			byte[] frame = new byte[6 + payload.length];
			frame[0] = (byte) 0x81;
			frame[1] = (byte) (0x80 | payload.length);
			System.arraycopy(mask, 0, frame, 2, 4);
			for (int i = 0; i < payload.length; i++) {
				frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
			}
			this.socket.getOutputStream().write(frame);
			this.socket.getOutputStream().flush();
		}

		/** Every frame up to and with the server's close. */
		List<Frame> untilClosed() throws IOException {
			List<Frame> frames = new ArrayList<>();
			while (frames.isEmpty() || frames.get(frames.size() - 1).opcode() != 0x8) {
				int first = this.in.readUnsignedByte();
				int length = this.in.readUnsignedByte() & 0x7f;
				if (length == 126) {
					length = this.in.readUnsignedShort();
				}
				byte[] payload = new byte[length];
				this.in.readFully(payload);
				frames.add(new Frame(first & 0x0f, payload));
			}
			return frames;
		}

		private String readLine() throws IOException {
			StringBuilder line = new StringBuilder();
			for (int c; (c = this.in.read()) != -1 && c != '\n';) {
				if (c != '\r') {
					line.append((char) c);
				}
			}
			return line.toString();
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
