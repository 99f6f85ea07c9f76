package io.batchyard.launcher.unattended;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.LaunchRequest.Trigger;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.runner.RunnerNode;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code batchyard.jobs.<job>.expected-duration}: a {@code manifestUpdateJob} execution
 * held up by a slow DLCS API (WireMock answering after 6 s) outlives its expected 2 s and
 * is announced once, on a webhook server in the test, while it runs; an execution of the
 * same job that ends within 2 s is not.
 */
@BatchyardTest
@Import(JobRuns.class)
class LongRunningNotificationTests {

	private static final String JOB = "manifestUpdateJob";

	private static final Path SAMPLE = Path.of("..", "sample-data", "manifest-update");

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final UnattendedOperationTests.Webhook webhook = new UnattendedOperationTests.Webhook();

	@TempDir
	static Path blobs;

	@RegisterExtension
	static WireMockExtension dlcs = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("batchyard.jobs.manifest-update.dlcs.api-url", () -> dlcs.baseUrl() + "/api/");
		registry.add("batchyard.jobs.manifest-update.dlcs.orchestrator-url", () -> dlcs.baseUrl() + "/orchestrator/");
		registry.add("batchyard.jobs.manifest-update.dlcs.jwt-key",
				() -> "dGVzdC1vbmx5LWtleS0wMTIzNDU2Nzg5YWJjZGVmZ2g=");
		registry.add("batchyard.jobs.manifest-update.dlcs.read-timeout", () -> "20s");
		registry.add("batchyard.jobs.manifest-update.storage.directory", () -> blobs.toString());
		registry.add("batchyard.jobs.manifestUpdateJob.expected-duration", () -> "2s");
		registry.add("batchyard.notifications.poll-interval", () -> "200ms");
		registry.add("batchyard.notifications.webhooks.ops.url", webhook::url);
		registry.add("batchyard.dashboard.base-url", () -> "https://batchyard.example.org/");
	}

	@AfterAll
	static void stopWebhook() {
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
	RunnerNode node;

	@BeforeEach
	void seed() {
		webhook.clear();
		new ResourceDatabasePopulator(new FileSystemResource(SAMPLE.resolve("presentation.sql").toFile()))
			.execute(this.jdbc.getDataSource());
		Path staged = blobs.resolve("staged/2/manifests/sample-manifest");
		try {
			Files.createDirectories(staged.getParent());
			Files.writeString(staged, sample("blobs/staged/2/manifests/sample-manifest"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@AfterEach
	void clear() {
		this.jobRuns.reset();
		this.jdbc.update("DELETE FROM BATCHYARD_NOTIFICATION");
		this.jdbc.update("DELETE FROM BATCHYARD_INSTANCE_TRIGGER");
		this.jdbc.update("DELETE FROM manifests");
	}

	@Test
	void anExecutionOutlivingItsExpectedDurationIsAnnouncedOnceAndAQuickOneIsNot() throws Exception {
		String api = dlcs.baseUrl() + "/api/";
		String assets = "/api/customers/2/queue/batches/1001/assets";
		dlcs.stubFor(get(urlPathEqualTo(assets)).withQueryParam("page", absent())
			.willReturn(json(sample("dlcs/api/batch-1001-assets-page-1.json").replace("${dlcsApi}", api))
				.withFixedDelay(6000)));
		dlcs.stubFor(get(urlPathEqualTo(assets)).withQueryParam("page", equalTo("2"))
			.willReturn(json(sample("dlcs/api/batch-1001-assets-page-2.json").replace("${dlcsApi}", api))));
		dlcs.stubFor(get(urlPathEqualTo("/orchestrator/iiif-resource/v3/2/manifest-query/sample-manifest"))
			.willReturn(json(sample("dlcs/orchestrator/manifest-query-sample-manifest.json"))));

		// A batch no manifest tracks: the job ends at once (UNKNOWN BATCH).
		long quick = launch(424242);
		this.jobRuns.awaitEnd(quick);
		assertThat(this.jobRepository.getJobExecution(quick).getExitStatus().getExitCode()).isEqualTo("UNKNOWN BATCH");
		long slow = launch(1001);

		await().atMost(WAIT).until(() -> webhook.bodies().size() == 1);
		assertThat(this.jobRepository.getJobExecution(slow).getStatus()).isEqualTo(BatchStatus.STARTED);
		JsonNode notification = JsonMapper.shared().readTree(webhook.bodies().get(0));
		assertThat(notification.get("kind").asString()).isEqualTo("LONG_RUNNING");
		assertThat(notification.get("job").asString()).isEqualTo(JOB);
		assertThat(notification.get("executionId").asLong()).isEqualTo(slow);
		assertThat(notification.get("status").asString()).isEqualTo("STARTED");
		assertThat(notification.get("parameters").get("batchId").asString()).isEqualTo("1001");
		assertThat(notification.get("summary").asString())
			.startsWith("running longer than its expected duration of PT2S (started at ");
		assertThat(notification.get("automaticRestart").asString()).isEmpty();
		assertThat(notification.get("node").asString()).isEqualTo(this.node.id());
		assertThat(notification.get("url").asString()).isEqualTo("https://batchyard.example.org/executions/" + slow);
		assertThat(webhook.ids()).containsExactly(notification.get("id").asString());

		// Not announced again on the next polls, while it still runs nor once it ended.
		await().during(Duration.ofMillis(1000))
			.atMost(Duration.ofSeconds(5))
			.until(() -> webhook.bodies().size() == 1 && outbox(slow).size() == 1);
		this.jobRuns.awaitEnd(slow);
		assertThat(this.jobRepository.getJobExecution(slow).getStatus()).isEqualTo(BatchStatus.COMPLETED);
		await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(5)).until(() -> webhook.bodies().size() == 1);
		assertThat(outbox(slow)).singleElement().satisfies((row) -> {
			assertThat(row.get("KIND")).isEqualTo("LONG_RUNNING");
			assertThat(row.get("CHANNEL")).isEqualTo("ops");
			assertThat(row.get("DELIVERED_AT")).isNotNull();
			assertThat(((Number) row.get("ATTEMPTS")).intValue()).isOne();
		});
		// The run that ended within its expected duration was never announced.
		assertThat(outbox(quick)).isEmpty();
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCHYARD_NOTIFICATION", Integer.class)).isOne();
	}

	private long launch(long batch) {
		return this.launchService
			.launch(new LaunchRequest(JOB, Map.of("customer", "2", "batchId", String.valueOf(batch)), Trigger.QUEUE))
			.getId();
	}

	private List<Map<String, Object>> outbox(long execution) {
		return this.jdbc.queryForList("SELECT * FROM BATCHYARD_NOTIFICATION WHERE JOB_EXECUTION_ID = ?", execution);
	}

	private static ResponseDefinitionBuilder json(String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
	}

	private static String sample(String path) {
		try {
			return Files.readString(SAMPLE.resolve(path));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
