package io.batchyard.launcher.unattended;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.LaunchRequest.Trigger;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.RestartStatus;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import io.batchyard.test.SnsQueryServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The restart policy and the notification outbox in one application, with real faults (H2
 * triggers failing the purge's deletes), a webhook server and the SNS endpoint.
 */
@BatchyardTest
@Import(JobRuns.class)
class UnattendedOperationTests {

	private static final String JOB = "repositoryPurgeJob";

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final SnsQueryServer sns = SnsQueryServer.start();

	private static final Webhook webhook = new Webhook();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("batchyard.jobs.repositoryPurgeJob.restart.backoff", () -> "1500ms");
		registry.add("batchyard.jobs.repositoryPurgeJob.restart.max-attempts", () -> "2");
		registry.add("batchyard.automatic-restarts.poll-interval", () -> "200ms");
		registry.add("batchyard.notifications.poll-interval", () -> "200ms");
		registry.add("batchyard.notifications.backoff", () -> "200ms");
		registry.add("batchyard.notifications.sns.topic-arn", () -> "arn:aws:sns:eu-west-1:000000000000:batchyard");
		registry.add("batchyard.notifications.webhooks.ops.url", webhook::url);
		registry.add("batchyard.notifications.webhooks.chat.url", webhook::url);
		registry.add("batchyard.notifications.webhooks.chat.format", () -> "slack");
		registry.add("batchyard.dashboard.base-url", () -> "https://batchyard.example.org/");
		registry.add("spring.cloud.aws.sns.endpoint", sns::endpoint);
	}

	@AfterAll
	static void stopServers() {
		sns.close();
		webhook.close();
	}

	@Autowired
	JobLaunchService launchService;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JobRuns jobRuns;

	@Autowired
	MockMvc mvc;

	@Autowired
	MeterRegistry meters;

	@BeforeEach
	void clear() {
		sns.clear();
		webhook.clear();
	}

	@AfterEach
	void cleanUp() {
		fault(null);
		this.jobRuns.reset();
		this.jdbc.update("DELETE FROM BATCHYARD_NOTIFICATION");
		this.jdbc.update("DELETE FROM BATCHYARD_INSTANCE_TRIGGER");
	}

	@Test
	void aQueueLaunchFailingOnInfrastructureIsRestartedAutomaticallyAndNobodyIsTold() throws Exception {
		purgeable();
		double restarted = counter("restarted");
		fault(TransientDeleteFault.class);

		JobExecution failed = this.jobRepository.getJobExecution(launch(Trigger.QUEUE, "2100-01-01T00:00:00Z"));
		fault(null);
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		// Decided with the end: the poller may have claimed it already (1.5 s back-off).
		RestartStatus decision = RestartStatus.of(this.jdbc, failed.getId()).orElseThrow();
		assertThat(decision.state()).isIn("PENDING", "CLAIMED", "RESTARTED");
		assertThat(decision.category()).isEqualTo("INFRASTRUCTURE");
		assertThat(decision.attempt()).isEqualTo(1);
		assertThat(decision.maxAttempts()).isEqualTo(2);

		await().atMost(WAIT)
			.until(() -> "RESTARTED".equals(RestartStatus.of(this.jdbc, failed.getId()).orElseThrow().state()));
		long restartId = RestartStatus.of(this.jdbc, failed.getId()).orElseThrow().restartExecutionId();
		this.jobRuns.awaitEnd(restartId);
		JobExecution restart = this.jobRepository.getJobExecution(restartId);
		assertThat(restart.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(restart.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
		assertThat(this.jobRepository.getJobExecutions(failed.getJobInstance())).hasSize(2);
		// The purge finished what the failed run could not: the two purgeable executions
		// are gone, and nothing else.
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")).isEqualTo(2);
		assertThat(counter("restarted")).isEqualTo(restarted + 1);
		this.mvc.perform(get("/api/executions/" + failed.getId()))
			.andExpect(jsonPath("$.automaticRestart.state").value("RESTARTED"))
			.andExpect(jsonPath("$.automaticRestart.description")
				.value("automatically restarted (1 of 2) as execution " + restartId));
		// It succeeded: nothing to tell anyone.
		pollOnce();
		assertThat(webhook.bodies()).isEmpty();
		assertThat(sns.messages()).isEmpty();
		assertThat(count("SELECT COUNT(*) FROM BATCHYARD_NOTIFICATION")).isZero();
	}

	@Test
	void whenAttemptsAreExhaustedOneFailedNotificationGoesToEveryChannel() throws Exception {
		purgeable();
		fault(TransientDeleteFault.class);

		JobExecution failed = this.jobRepository.getJobExecution(launch(Trigger.SCHEDULE, "2100-01-01T00:00:00Z"));

		// Two automatic restarts (max-attempts 2), each failing on the same fault.
		await().atMost(WAIT)
			.until(() -> count("SELECT COUNT(*) FROM BATCHYARD_AUTO_RESTART WHERE STATE = 'NONE'") == 1);
		assertThat(count("SELECT COUNT(*) FROM BATCHYARD_AUTO_RESTART WHERE STATE = 'RESTARTED'")).isEqualTo(2);
		assertThat(this.jobRepository.getJobExecutions(failed.getJobInstance())).hasSize(3);
		JobExecution last = this.jobRepository.getLastJobExecution(failed.getJobInstance());
		this.jobRuns.awaitEnd(last.getId());
		assertThat(RestartStatus.of(this.jdbc, last.getId()).orElseThrow().describe())
			.isEqualTo("no automatic restart: all 2 automatic restarts made");

		await().atMost(WAIT).until(() -> webhook.bodies().size() == 2 && sns.messages().size() == 1);
		pollOnce();
		assertThat(webhook.bodies()).hasSize(2);
		assertThat(sns.messages()).hasSize(1);
		JsonNode notification = JsonMapper.shared().readTree(sns.messages().get(0));
		assertThat(notification.get("kind").asString()).isEqualTo("FAILED");
		assertThat(notification.get("job").asString()).isEqualTo(JOB);
		assertThat(notification.get("executionId").asLong()).isEqualTo(last.getId());
		assertThat(notification.get("attempt").asInt()).isEqualTo(3);
		assertThat(notification.get("parameters").get("asOf").asString()).isEqualTo("2100-01-01T00:00:00Z");
		assertThat(notification.get("automaticRestart").asString())
			.isEqualTo("no automatic restart: all 2 automatic restarts made");
		assertThat(notification.get("url").asString())
			.isEqualTo("https://batchyard.example.org/executions/" + last.getId());
		assertThat(notification.get("node").asString()).isNotEmpty();
		String id = notification.get("id").asString();
		// The same notification id on every channel, for receivers to de-duplicate on.
		assertThat(webhook.ids()).containsExactly(id, id);
		assertThat(webhook.bodies()).anySatisfy((body) -> assertThat(body)
			.startsWith("{\"text\":\"Batchyard: " + JOB + " execution " + last.getId() + " FAILED"));
		assertThat(webhook.bodies()).anySatisfy((body) -> assertThat(body).contains("\"id\":\"" + id + "\""));
		assertThat(count("SELECT COUNT(*) FROM BATCHYARD_NOTIFICATION WHERE DELIVERED_AT IS NULL")).isZero();
	}

	@Test
	void aFailureThatIsNotInfrastructureOrAManualLaunchIsNeverRestarted() throws Exception {
		purgeable();
		fault(PermanentDeleteFault.class);
		JobExecution unknown = this.jobRepository.getJobExecution(launch(Trigger.QUEUE, "2100-01-01T00:00:00Z"));
		assertThat(RestartStatus.of(this.jdbc, unknown.getId()).orElseThrow().describe())
			.isEqualTo("no automatic restart: restart.on does not include unknown failures");

		fault(TransientDeleteFault.class);
		JobExecution manual = this.jobRepository.getJobExecution(launch(Trigger.MANUAL, "2100-01-02T00:00:00Z"));
		assertThat(RestartStatus.of(this.jdbc, manual.getId()).orElseThrow().describe())
			.isEqualTo("no automatic restart: launched by hand");

		pollOnce();
		assertThat(count("SELECT COUNT(*) FROM BATCHYARD_AUTO_RESTART WHERE STATE <> 'NONE'")).isZero();
		await().atMost(WAIT).until(() -> sns.messages().size() == 2);
		assertThat(this.jobRepository.getJobExecutions(unknown.getJobInstance())).hasSize(1);
		assertThat(this.jobRepository.getJobExecutions(manual.getJobInstance())).hasSize(1);
	}

	@Test
	void anOperatorCancelsPendingAutomaticRestarts() throws Exception {
		purgeable();
		fault(TransientDeleteFault.class);
		JobExecution failed = this.jobRepository.getJobExecution(launch(Trigger.QUEUE, "2100-01-01T00:00:00Z"));
		// Hold it pending while the operator looks.
		this.jdbc.update("UPDATE BATCHYARD_AUTO_RESTART SET DUE_AT = DATEADD('HOUR', 1, DUE_AT)");

		assertThat(RestartStatus.of(this.jdbc, failed.getId()).orElseThrow().describe())
			.startsWith("automatic restart 1 of 2 at ");
		this.mvc.perform(post("/api/executions/" + failed.getId() + "/restart-policy/cancel"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.automaticRestart.state").value("CANCELLED"))
			.andExpect(jsonPath("$.automaticRestart.description")
				.value(startsWith("automatic restart cancelled: by test-operator at ")));
		this.jdbc.update("UPDATE BATCHYARD_AUTO_RESTART SET DUE_AT = DATEADD('HOUR', -2, DUE_AT)");
		pollOnce();
		assertThat(this.jobRepository.getJobExecutions(failed.getJobInstance())).hasSize(1);
		assertThat(count(
				"SELECT COUNT(*) FROM BATCHYARD_INSTANCE_TRIGGER WHERE RESTARTS_CANCELLED_BY = " + "'test-operator'"))
			.isEqualTo(1);
	}

	@Test
	void aWebhookThatFailsIsRetriedUntilItAnswersAndDeliveredOnce() throws Exception {
		purgeable();
		webhook.failNext(2);
		fault(PermanentDeleteFault.class);
		JobExecution failed = this.jobRepository.getJobExecution(launch(Trigger.MANUAL, "2100-01-01T00:00:00Z"));

		await().atMost(WAIT)
			.until(() -> count("SELECT COUNT(*) FROM BATCHYARD_NOTIFICATION WHERE CHANNEL = 'ops'"
					+ " AND DELIVERED_AT IS NOT NULL") == 1);
		pollOnce();
		await().atMost(WAIT).until(() -> webhook.bodies().size() == 2);
		pollOnce();
		// Two refused attempts, then one delivery per webhook channel, no more.
		assertThat(webhook.attempts()).isEqualTo(4);
		assertThat(webhook.bodies()).hasSize(2);
		assertThat(this.jdbc.queryForObject("SELECT ATTEMPTS FROM BATCHYARD_NOTIFICATION WHERE CHANNEL = 'ops'",
				Integer.class))
			.isGreaterThan(1);
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
	}

	@Test
	void aClaimLeftByADeadNodeIsDeliveredByAnother() throws Exception {
		purgeable();
		fault(PermanentDeleteFault.class);
		JobExecution failed = this.jobRepository.getJobExecution(launch(Trigger.MANUAL, "2100-01-01T00:00:00Z"));
		await().atMost(WAIT).until(() -> sns.messages().size() == 1);
		// Pretend a node had claimed and died before marking it delivered: the lease
		// expires, and it is sent again (at least once), with the same id.
		this.jdbc.update("UPDATE BATCHYARD_NOTIFICATION SET DELIVERED_AT = NULL, CLAIMED_BY = 'dead-node',"
				+ " CLAIMED_UNTIL = DATEADD('SECOND', -1, CURRENT_TIMESTAMP) WHERE CHANNEL = 'sns'");
		await().atMost(WAIT).until(() -> sns.messages().size() == 2);
		assertThat(sns.published()).extracting((message) -> message.get("MessageAttributes.entry.1.Value.StringValue"))
			.doesNotContainNull()
			.hasSize(2)
			.satisfies((ids) -> assertThat(ids.get(0)).isEqualTo(ids.get(1)));
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
	}

	/** Two finished purges that a purge as of 2100 deletes. */
	private void purgeable() {
		for (String asOf : List.of("2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z")) {
			JobExecution execution = this.launchService.launch(new LaunchRequest(JOB, Map.of("asOf", asOf)));
			this.jobRuns.awaitEnd(execution.getId());
		}
	}

	/**
	 * Launches and waits for the end. (Not returning the execution: Spring Batch's test
	 * listeners would take such a method for a factory of step-scope executions.)
	 */
	private long launch(Trigger trigger, String asOf) {
		long id = this.launchService.launch(new LaunchRequest(JOB, Map.of("asOf", asOf), trigger)).getId();
		this.jobRuns.awaitEnd(id);
		return id;
	}

	private void fault(Class<?> trigger) {
		this.jdbc.execute("DROP TRIGGER IF EXISTS PURGE_FAULT");
		if (trigger != null) {
			this.jdbc.execute("CREATE TRIGGER PURGE_FAULT BEFORE DELETE ON BATCH_JOB_EXECUTION FOR EACH ROW CALL \""
					+ trigger.getName() + "\"");
		}
	}

	/**
	 * Waits for one more run of both pollers, so that "nothing happened" is checked after
	 * one.
	 */
	private void pollOnce() {
		long before = System.nanoTime();
		await().pollDelay(Duration.ofMillis(600)).atMost(WAIT).until(() -> System.nanoTime() - before > 0);
	}

	private long count(String sql) {
		return this.jdbc.queryForObject(sql, Long.class);
	}

	private double counter(String outcome) {
		var counter = this.meters.find(AutomaticRestarts.METER).tag("job", JOB).tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	/** A webhook receiver on loopback that records what it was sent. */
	static final class Webhook implements AutoCloseable {

		private final HttpServer server;

		private final List<String> bodies = new CopyOnWriteArrayList<>();

		private final List<String> ids = new CopyOnWriteArrayList<>();

		private final AtomicInteger failures = new AtomicInteger();

		private final AtomicInteger attempts = new AtomicInteger();

		Webhook() {
			try {
				this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			this.server.createContext("/hook", (exchange) -> {
				this.attempts.incrementAndGet();
				byte[] body = exchange.getRequestBody().readAllBytes();
				int status = (this.failures.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) ? 500 : 204;
				if (status == 204) {
					this.bodies.add(new String(body, StandardCharsets.UTF_8));
					this.ids.add(exchange.getRequestHeaders().getFirst("X-Batchyard-Notification-Id"));
				}
				exchange.sendResponseHeaders(status, -1);
				exchange.close();
			});
			this.server.start();
		}

		String url() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hook";
		}

		List<String> bodies() {
			return this.bodies;
		}

		List<String> ids() {
			return this.ids;
		}

		int attempts() {
			return this.attempts.get();
		}

		void failNext(int count) {
			this.failures.set(count);
		}

		void clear() {
			this.bodies.clear();
			this.ids.clear();
			this.attempts.set(0);
			this.failures.set(0);
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

}
