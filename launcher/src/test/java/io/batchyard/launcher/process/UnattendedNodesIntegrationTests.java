package io.batchyard.launcher.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.sun.net.httpserver.HttpServer;
import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.EmbeddedPostgresServer;
import io.batchyard.test.EmulatorClients;
import io.batchyard.test.SnsQueryServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Unattended operation across two server nodes: two processes of the built jar sharing
 * one PostgreSQL job repository, both polling for due automatic restarts and
 * notifications. {@code manifestUpdateJob} is launched the way DLCS launches it, by a
 * batch-completion message on an SQS queue (ElasticMQ), against a WireMock DLCS; the SNS
 * endpoint and a webhook receiver run in this JVM and record what they were sent. The
 * nodes live for the whole class (their start-up is most of its time); the last test
 * kills one of them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnattendedNodesIntegrationTests {

	private static final String JOB = "manifestUpdateJob";

	private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:batchyard-failures";

	private static final String DASHBOARD = "https://batchyard.example.org";

	/** A non-secret test key: 32 bytes, base64. */
	private static final String JWT_KEY = Base64.getEncoder()
		.encodeToString("process-test-only-key-0123456789".getBytes(StandardCharsets.US_ASCII));

	private static final Path SAMPLE = Path.of("..", "sample-data", "manifest-update");

	/** DLCS batch of the sample manifest: its Orchestrator is down for one execution. */
	private static final long RECOVERING_BATCH = 1001;

	/** A batch whose DLCS API answers 503 whatever happens. */
	private static final long FAILING_BATCH = 2001;

	/** A batch the DLCS API does not know (404). */
	private static final long UNKNOWN_TO_DLCS_BATCH = 3001;

	private static final String NAMED_QUERY = "/orchestrator/iiif-resource/v3/2/manifest-query/sample-manifest";

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final JsonMapper JSON = JsonMapper.shared();

	private static WireMockServer dlcs;

	private static SnsQueryServer sns;

	private static Webhook webhook;

	private static SqsClient sqs;

	private static JdbcTemplate db;

	private static Path blobs;

	private static String queue;

	private static BatchyardProcess nodeA;

	private static BatchyardProcess nodeB;

	@BeforeAll
	static void startNodes(@TempDir Path directory) throws Exception {
		dlcs = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		dlcs.start();
		sns = SnsQueryServer.start();
		webhook = new Webhook();
		sqs = EmulatorClients.client(SqsClient.builder(), ElasticMqServer.endpoint());
		String url = EmbeddedPostgresServer.newDatabaseUrl();
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(url);
		dataSource.setUser("postgres");
		dataSource.setPassword("postgres");
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/postgresql").load().migrate();
		db = new JdbcTemplate(dataSource);
		blobs = directory.resolve("blobs");
		seed();

		String suffix = UUID.randomUUID().toString().substring(0, 8);
		queue = "batch-completion-" + suffix;
		String[] settings = { "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
				"--spring.datasource.password=postgres", "--batchyard.launcher.sqs.enabled=true",
				"--batchyard.launcher.sqs.create-queues=true", "--batchyard.launcher.sqs.poll-timeout=1s",
				"--batchyard.launcher.sqs.launch-queue=launch-" + suffix,
				"--spring.cloud.aws.sqs.endpoint=" + ElasticMqServer.endpoint(),
				"--batchyard.jobs.manifest-update.queue=" + queue,
				"--batchyard.jobs.manifest-update.dlcs.api-url=" + dlcs.baseUrl() + "/api/",
				"--batchyard.jobs.manifest-update.dlcs.orchestrator-url=" + dlcs.baseUrl() + "/orchestrator/",
				"--batchyard.jobs.manifest-update.dlcs.jwt-key=" + JWT_KEY,
				"--batchyard.jobs.manifest-update.dlcs.max-attempts=2",
				"--batchyard.jobs.manifest-update.dlcs.back-off=10ms",
				"--batchyard.jobs.manifest-update.dlcs.max-back-off=20ms",
				"--batchyard.jobs.manifest-update.dlcs.read-timeout=5s",
				"--batchyard.jobs.manifest-update.storage.directory=" + blobs.toAbsolutePath(),
				"--batchyard.jobs.manifestUpdateJob.restart.max-attempts=2",
				"--batchyard.jobs.manifestUpdateJob.restart.backoff=1s",
				// Both nodes poll often, so both race for every due restart and
				// notification.
				"--batchyard.automatic-restarts.poll-interval=100ms", "--batchyard.notifications.poll-interval=200ms",
				"--batchyard.notifications.backoff=200ms",
				// A delivery's lease is three timeouts: a dead node's claim expires after
				// 6 s, long enough for the test to see who holds it on a busy machine.
				"--batchyard.notifications.timeout=2s", "--batchyard.notifications.sns.topic-arn=" + TOPIC,
				"--spring.cloud.aws.sns.endpoint=" + sns.endpoint(),
				"--batchyard.notifications.webhooks.ops.url=" + webhook.url(),
				"--batchyard.dashboard.base-url=" + DASHBOARD };
		Files.createDirectories(directory.resolve("node-a"));
		Files.createDirectories(directory.resolve("node-b"));
		CompletableFuture<BatchyardProcess> a = CompletableFuture
			.supplyAsync(() -> BatchyardProcess.start(directory.resolve("node-a"), "unattended-node-a", settings));
		CompletableFuture<BatchyardProcess> b = CompletableFuture
			.supplyAsync(() -> BatchyardProcess.start(directory.resolve("node-b"), "unattended-node-b", settings));
		try {
			nodeA = a.join();
		}
		finally {
			nodeB = b.join();
		}
	}

	@AfterAll
	static void stopNodes() {
		for (AutoCloseable closeable : new AutoCloseable[] { nodeA, nodeB, sqs, webhook, sns }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// closing the rest matters more
			}
		}
		if (dlcs != null) {
			dlcs.stop();
		}
	}

	@BeforeEach
	void clearReceivers() {
		sns.clear();
		webhook.clear();
	}

	/**
	 * The Orchestrator answers 503 on both tries of the first execution, then recovers:
	 * one of the two nodes restarts the instance once, the restart skips the completed
	 * steps (no second call to the assets API) and completes, and nothing is announced.
	 */
	@Test
	@Order(1)
	void anInfrastructureFailureIsRestartedOnceAcrossTwoNodesAndSucceedsUnannounced() {
		serveSampleAssets();
		String down = "orchestrator down";
		dlcs.stubFor(namedQuery().inScenario(down)
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("one 503")
			.willReturn(aResponse().withStatus(503)));
		dlcs.stubFor(namedQuery().inScenario(down)
			.whenScenarioStateIs("one 503")
			.willSetStateTo("healthy")
			.willReturn(aResponse().withStatus(503)));
		dlcs.stubFor(namedQuery().inScenario(down)
			.whenScenarioStateIs("healthy")
			.willReturn(json(sample("dlcs/orchestrator/manifest-query-sample-manifest.json"))));

		send(RECOVERING_BATCH);

		List<Long> executions = await("the automatic restart of batch " + RECOVERING_BATCH + " completing").atMost(WAIT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> executions(RECOVERING_BATCH),
					(ids) -> ids.size() >= 2 && "COMPLETED".equals(status(ids.get(ids.size() - 1))));
		assertThat(executions).hasSize(2);
		long first = executions.get(0);
		long second = executions.get(1);
		assertThat(status(first)).isEqualTo("FAILED");
		assertThat(steps(first)).containsExactly("recordCompletionStep COMPLETED", "fetchBatchAssetsStep COMPLETED",
				"fetchNamedQueryStep FAILED");
		// An ordinary restart: the completed steps are not run again.
		assertThat(steps(second)).containsExactly("fetchNamedQueryStep COMPLETED",
				"updateCanvasPaintingsStep COMPLETED", "mergeManifestStep COMPLETED");

		// One restart decision, carried out once, by one of the two nodes.
		List<Map<String, Object>> decisions = decisions(RECOVERING_BATCH);
		assertThat(decisions).singleElement().satisfies((decision) -> {
			assertThat(number(decision, "FAILED_EXECUTION_ID")).isEqualTo(first);
			assertThat(decision.get("STATE")).isEqualTo("RESTARTED");
			assertThat(decision.get("CATEGORY")).isEqualTo("INFRASTRUCTURE");
			assertThat(number(decision, "ATTEMPT")).isOne();
			assertThat(number(decision, "MAX_ATTEMPTS")).isEqualTo(2);
			assertThat(number(decision, "RESTART_EXECUTION_ID")).isEqualTo(second);
			assertThat(decision.get("CLAIMED_BY")).isIn(nodeId(nodeA), nodeId(nodeB));
		});
		assertThat(restartLogLines(first)).isOne();
		assertThat(nodeA.execution(first).path("automaticRestart").path("description").asString())
			.isEqualTo("automatically restarted (1 of 2) as execution " + second);

		// The DLCS was called exactly as often as the two executions needed.
		assertThat(dlcs.findAll(getRequestedFor(urlPathEqualTo(NAMED_QUERY)))).hasSize(3);
		assertThat(dlcs.findAll(getRequestedFor(urlPathEqualTo(assets(RECOVERING_BATCH))))).hasSize(2);
		// The work is done: the batch, its canvas paintings and the published manifest.
		assertThat(db.queryForObject("SELECT status FROM batches WHERE id = ?", String.class, RECOVERING_BATCH))
			.isEqualTo("Completed");
		assertThat(db.queryForObject("SELECT COUNT(*) FROM canvas_paintings WHERE manifest_id = 'sample-manifest'"
				+ " AND ingesting = FALSE AND thumbnail IS NOT NULL", Integer.class))
			.isEqualTo(3);
		assertThat(blobs.resolve("2/manifests/sample-manifest")).isRegularFile();
		assertThat(blobs.resolve("staged/2/manifests/sample-manifest")).doesNotExist();

		// It succeeded: nothing to announce, on any channel, from either node.
		assertThat(db.queryForObject("SELECT COUNT(*) FROM BATCHYARD_NOTIFICATION WHERE JOB_EXECUTION_ID IN (?, ?)",
				Integer.class, first, second))
			.isZero();
		await("nothing announced over a few polls of both nodes").during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> sns.published().isEmpty() && webhook.deliveries().isEmpty()
					&& executions(RECOVERING_BATCH).size() == 2);
	}

	/**
	 * A 404 from the DLCS API (invalid input: running again gives the same) is never
	 * restarted, whatever the attempts left; it is announced once on each channel.
	 */
	@Test
	@Order(2)
	void aRefusedCallIsNeverRestartedAndIsAnnouncedOnce() {
		dlcs.stubFor(get(urlPathEqualTo(assets(UNKNOWN_TO_DLCS_BATCH))).willReturn(aResponse().withStatus(404)));

		send(UNKNOWN_TO_DLCS_BATCH);

		await("the announcement of batch " + UNKNOWN_TO_DLCS_BATCH + "'s failure").atMost(WAIT)
			.until(() -> sns.published().size() == 1 && webhook.deliveries().size() == 1);
		List<Long> executions = executions(UNKNOWN_TO_DLCS_BATCH);
		assertThat(executions).hasSize(1);
		assertThat(status(executions.get(0))).isEqualTo("FAILED");
		assertThat(decisions(UNKNOWN_TO_DLCS_BATCH)).singleElement().satisfies((decision) -> {
			assertThat(decision.get("STATE")).isEqualTo("NONE");
			assertThat(decision.get("CATEGORY")).isEqualTo("INVALID_INPUT");
		});
		JsonNode notification = JSON.readTree(sns.messages().get(0));
		assertThat(notification.path("executionId").asLong()).isEqualTo(executions.get(0));
		assertThat(notification.path("attempt").asInt()).isOne();
		assertThat(notification.path("automaticRestart").asString()).startsWith("no automatic restart: invalid input");
		assertThat(webhook.ids()).containsExactly(notification.path("id").asString());
		// Not retried by the step (4xx) nor restarted by either node.
		await("no restart over the back-off and a few polls").during(Duration.ofMillis(2000))
			.atMost(Duration.ofSeconds(6))
			.until(() -> executions(UNKNOWN_TO_DLCS_BATCH).size() == 1 && sns.published().size() == 1
					&& webhook.deliveries().size() == 1);
		assertThat(dlcs.findAll(getRequestedFor(urlPathEqualTo(assets(UNKNOWN_TO_DLCS_BATCH))))).hasSize(1);
	}

	/**
	 * The DLCS API answers 503 for good: two automatic restarts (by either node), then
	 * one FAILED notification per channel. The SNS endpoint holds the first publish until
	 * the node sending it is killed: the notification is in the outbox, claimed, not
	 * delivered. The other node delivers it once its lease expires, with the same id, and
	 * nothing is sent twice.
	 */
	@Test
	@Order(3)
	void whenAttemptsAreExhaustedTheNotificationOutlivesTheNodeThatWasSendingIt() {
		dlcs.stubFor(get(urlPathEqualTo(assets(FAILING_BATCH))).willReturn(aResponse().withStatus(503)));
		sns.hold();

		send(FAILING_BATCH);

		await("a node publishing batch " + FAILING_BATCH + "'s failure").atMost(WAIT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> sns.held() >= 1);
		List<Long> executions = executions(FAILING_BATCH);
		assertThat(executions).hasSize(3);
		long last = executions.get(2);
		assertThat(executions).allSatisfy((id) -> assertThat(status(id)).isEqualTo("FAILED"));
		List<Map<String, Object>> decisions = decisions(FAILING_BATCH);
		assertThat(decisions).extracting((decision) -> decision.get("STATE") + " " + decision.get("ATTEMPT"))
			.containsExactly("RESTARTED 1", "RESTARTED 2", "NONE 2");
		assertThat(number(decisions.get(0), "RESTART_EXECUTION_ID")).isEqualTo(executions.get(1));
		assertThat(number(decisions.get(1), "RESTART_EXECUTION_ID")).isEqualTo(last);
		assertThat(decisions.get(2).get("DETAIL")).isEqualTo("all 2 automatic restarts made");
		assertThat(restartLogLines(executions.get(0))).isOne();
		assertThat(restartLogLines(executions.get(1))).isOne();
		// Two tries (the step's own retries) in each of the three executions.
		assertThat(dlcs.findAll(getRequestedFor(urlPathEqualTo(assets(FAILING_BATCH))))).hasSize(6);

		// Recorded with the end, one row per channel, one id; the SNS row is claimed by
		// the node whose publish is held.
		List<Map<String, Object>> outbox = outbox(last);
		assertThat(outbox).extracting((row) -> row.get("CHANNEL")).containsExactly("sns", "ops");
		String id = (String) outbox.get(0).get("NOTIFICATION_ID");
		assertThat(outbox).allSatisfy((row) -> assertThat(row.get("NOTIFICATION_ID")).isEqualTo(id));
		Map<String, Object> claimed = outbox.get(0);
		assertThat(claimed.get("DELIVERED_AT")).isNull();
		String sender = (String) claimed.get("CLAIMED_BY");
		BatchyardProcess dying = sender.equals(nodeId(nodeA)) ? nodeA : nodeB;
		BatchyardProcess survivor = (dying == nodeA) ? nodeB : nodeA;
		assertThat(sender).isEqualTo(nodeId(dying));
		String survivorId = nodeId(survivor);

		assertThat(dying.kill()).as("exit value of kill -9").isEqualTo(BatchyardProcess.KILLED);
		sns.release();

		await("delivery of notification " + id + " by the surviving node").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> sns.published().size() == 1 && webhook.deliveries().size() == 1
					&& outbox(last).stream().allMatch((row) -> row.get("DELIVERED_AT") != null));
		Map<String, String> published = sns.published().get(0);
		assertThat(published.get("TopicArn")).isEqualTo(TOPIC);
		assertThat(published.get("MessageAttributes.entry.1.Name")).isEqualTo("notificationId");
		assertThat(published.get("MessageAttributes.entry.1.Value.StringValue")).isEqualTo(id);
		JsonNode notification = JSON.readTree(published.get("Message"));
		assertThat(notification.path("id").asString()).isEqualTo(id);
		assertThat(notification.path("kind").asString()).isEqualTo("FAILED");
		assertThat(notification.path("job").asString()).isEqualTo(JOB);
		assertThat(notification.path("executionId").asLong()).isEqualTo(last);
		assertThat(notification.path("attempt").asInt()).isEqualTo(3);
		assertThat(notification.path("parameters").path("batchId").asString()).isEqualTo(String.valueOf(FAILING_BATCH));
		assertThat(notification.path("automaticRestart").asString())
			.isEqualTo("no automatic restart: all 2 automatic restarts made");
		assertThat(notification.path("url").asString()).isEqualTo(DASHBOARD + "/executions/" + last);
		assertThat(webhook.ids()).containsExactly(id);
		assertThat(JSON.readTree(webhook.deliveries().get(0)).path("id").asString()).isEqualTo(id);

		List<Map<String, Object>> delivered = outbox(last);
		assertThat(delivered).allSatisfy((row) -> assertThat(row.get("DELIVERED_AT")).isNotNull());
		// Sent by the survivor at its first attempt: the dead node's send never counted.
		assertThat(delivered.get(0).get("CLAIMED_BY")).isEqualTo(survivorId);
		assertThat(number(delivered.get(0), "ATTEMPTS")).isOne();
		assertThat(survivor.output()).contains("Delivered notification " + id + " (FAILED) to sns");
		await("nothing sent twice").during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> sns.published().size() == 1 && webhook.deliveries().size() == 1);
	}

	private static void seed() throws IOException {
		db.execute(Files.readString(SAMPLE.resolve("presentation.sql")));
		for (long batch : new long[] { FAILING_BATCH, UNKNOWN_TO_DLCS_BATCH }) {
			String manifest = "manifest-" + batch;
			db.update("INSERT INTO manifests (id, customer_id, created, modified, created_by, modified_by, label,"
					+ " space_id) VALUES (?, 2, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'admin', 'admin',"
					+ " '{\"en\":[\"Batch " + batch + "\"]}', 5)", manifest);
			db.update("INSERT INTO batches (id, customer_id, status, submitted, manifest_id)"
					+ " VALUES (?, 2, 'Ingesting', CURRENT_TIMESTAMP, ?)", batch, manifest);
		}
		Path staged = blobs.resolve("staged/2/manifests/sample-manifest");
		Files.createDirectories(staged.getParent());
		Files.writeString(staged, sample("blobs/staged/2/manifests/sample-manifest"));
	}

	private static void serveSampleAssets() {
		String api = dlcs.baseUrl() + "/api/";
		dlcs.stubFor(get(urlPathEqualTo(assets(RECOVERING_BATCH))).withQueryParam("page", absent())
			.withHeader("Authorization", matching("Bearer [\\w-]+\\.[\\w-]+\\.[\\w-]+"))
			.willReturn(json(sample("dlcs/api/batch-1001-assets-page-1.json").replace("${dlcsApi}", api))));
		dlcs.stubFor(get(urlPathEqualTo(assets(RECOVERING_BATCH))).withQueryParam("page", equalTo("2"))
			.withHeader("Authorization", matching("Bearer [\\w-]+\\.[\\w-]+\\.[\\w-]+"))
			.willReturn(json(sample("dlcs/api/batch-1001-assets-page-2.json").replace("${dlcsApi}", api))));
	}

	private static MappingBuilder namedQuery() {
		return get(urlPathEqualTo(NAMED_QUERY)).withQueryParam("cacheBust", matching("\\d+"));
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
	}

	private static String assets(long batch) {
		return "/api/customers/2/queue/batches/" + batch + "/assets";
	}

	private static String sample(String path) {
		try {
			return Files.readString(SAMPLE.resolve(path));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A DLCS batch-completion notification, as DLCS sends it. */
	private static void send(long batch) {
		String queueUrl = sqs.getQueueUrl((request) -> request.queueName(queue)).queueUrl();
		sqs.sendMessage((request) -> request.queueUrl(queueUrl)
			.messageBody("{\"id\":" + batch + ",\"customer\":2,\"count\":3,\"completed\":3,\"errors\":0,"
					+ "\"superseded\":false,\"submitted\":\"2026-11-20T09:00:00Z\","
					+ "\"finished\":\"2026-11-20T09:01:10Z\"}"));
	}

	private static List<Long> executions(long batch) {
		return db.queryForList(
				"SELECT e.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION e"
						+ " JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID"
						+ " WHERE p.PARAMETER_NAME = 'batchId' AND p.PARAMETER_VALUE = ? ORDER BY e.JOB_EXECUTION_ID",
				Long.class, String.valueOf(batch));
	}

	private static String status(long execution) {
		return db.queryForObject("SELECT CASE WHEN END_TIME IS NULL THEN 'RUNNING' ELSE STATUS END"
				+ " FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?", String.class, execution);
	}

	private static List<String> steps(long execution) {
		return db.queryForList("SELECT STEP_NAME || ' ' || STATUS FROM BATCH_STEP_EXECUTION"
				+ " WHERE JOB_EXECUTION_ID = ? ORDER BY STEP_EXECUTION_ID", String.class, execution);
	}

	/** The restart decisions of a batch's instance, by failed execution. */
	private static List<Map<String, Object>> decisions(long batch) {
		List<Long> executions = executions(batch);
		return db
			.queryForList(
					"SELECT * FROM BATCHYARD_AUTO_RESTART WHERE JOB_INSTANCE_ID = (SELECT JOB_INSTANCE_ID"
							+ " FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?) ORDER BY FAILED_EXECUTION_ID",
					executions.get(0))
			.stream()
			.map(UnattendedNodesIntegrationTests::upperCase)
			.toList();
	}

	private static List<Map<String, Object>> outbox(long execution) {
		return db.queryForList("SELECT * FROM BATCHYARD_NOTIFICATION WHERE JOB_EXECUTION_ID = ? ORDER BY ID", execution)
			.stream()
			.map(UnattendedNodesIntegrationTests::upperCase)
			.toList();
	}

	/** PostgreSQL folds unquoted names to lower case. */
	private static Map<String, Object> upperCase(Map<String, Object> row) {
		Map<String, Object> copy = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		copy.putAll(row);
		return copy;
	}

	private static long number(Map<String, Object> row, String column) {
		return ((Number) row.get(column)).longValue();
	}

	private static String nodeId(BatchyardProcess node) {
		return db.queryForObject("SELECT NODE_ID FROM BATCHYARD_NODE WHERE PID = ? ORDER BY STARTED_AT DESC"
				+ " FETCH FIRST 1 ROWS ONLY", String.class, node.pid());
	}

	/** How many times either node logged restarting an execution. */
	private static long restartLogLines(long failed) {
		String line = "Automatically restarted job=" + JOB + " execution=" + failed + " as execution=";
		return (long) count(nodeA.output(), line) + count(nodeB.output(), line);
	}

	private static int count(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
			count++;
		}
		return count;
	}

	/** A webhook receiver on loopback that records what it accepted. */
	static final class Webhook implements AutoCloseable {

		private final HttpServer server;

		private final List<String> deliveries = new CopyOnWriteArrayList<>();

		private final List<String> ids = new CopyOnWriteArrayList<>();

		Webhook() throws IOException {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			this.server.createContext("/hooks/ops", (exchange) -> {
				try (exchange) {
					this.deliveries.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
					this.ids.add(exchange.getRequestHeaders().getFirst("X-Batchyard-Notification-Id"));
					exchange.sendResponseHeaders(204, -1);
				}
			});
			this.server.start();
		}

		String url() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hooks/ops";
		}

		List<String> deliveries() {
			return this.deliveries;
		}

		List<String> ids() {
			return this.ids;
		}

		void clear() {
			this.deliveries.clear();
			this.ids.clear();
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

}
