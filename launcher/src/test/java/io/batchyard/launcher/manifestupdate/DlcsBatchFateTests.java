package io.batchyard.launcher.manifestupdate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.LaunchRequest.Trigger;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.RestartStatus;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A DLCS batch's status follows its {@code manifestUpdateJob} execution's fate, against a
 * WireMock DLCS: an update failing on the DLCS (503 past the step's retries) leaves the
 * batch {@code Ingesting} while its automatic restart is pending; the restart succeeding
 * ends it {@code Completed} without anyone acting, and the restarts running out show it
 * {@code Failed} with the reason on the dashboard, the stored row left as it was.
 */
@BatchyardTest
@Import(JobRuns.class)
class DlcsBatchFateTests {

	static final String JOB = "manifestUpdateJob";

	static final Path SAMPLE = Path.of("..", "sample-data", "manifest-update");

	/** A non-secret test key: 32 bytes, base64. */
	static final String JWT_KEY = "dGVzdC1vbmx5LWtleS0wMTIzNDU2Nzg5YWJjZGVmZ2g=";

	static final String NAMED_QUERY = "/orchestrator/iiif-resource/v3/2/manifest-query/sample-manifest";

	static final long BATCH = 1001;

	static final Duration WAIT = Duration.ofSeconds(30);

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
		registry.add("batchyard.jobs.manifest-update.dlcs.jwt-key", () -> JWT_KEY);
		registry.add("batchyard.jobs.manifest-update.dlcs.max-attempts", () -> "2");
		registry.add("batchyard.jobs.manifest-update.dlcs.back-off", () -> "10ms");
		registry.add("batchyard.jobs.manifest-update.dlcs.max-back-off", () -> "20ms");
		registry.add("batchyard.jobs.manifest-update.storage.directory", () -> blobs.toString());
		// One automatic restart, held pending (a back-off of an hour) until the test
		// makes it due.
		registry.add("batchyard.jobs.manifestUpdateJob.restart.max-attempts", () -> "1");
		registry.add("batchyard.jobs.manifestUpdateJob.restart.backoff", () -> "1h");
		registry.add("batchyard.automatic-restarts.poll-interval", () -> "200ms");
		registry.add("batchyard.notifications.webhooks.ops.url", () -> dlcs.baseUrl() + "/ops-hook");
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

	@BeforeEach
	void seed() throws IOException {
		clear();
		new ResourceDatabasePopulator(new FileSystemResource(SAMPLE.resolve("presentation.sql").toFile()))
			.execute(this.jdbc.getDataSource());
		Path staged = blobs.resolve("staged/2/manifests/sample-manifest");
		Files.createDirectories(staged.getParent());
		Files.writeString(staged, sample("blobs/staged/2/manifests/sample-manifest"));
		String api = dlcs.baseUrl() + "/api/";
		dlcs.stubFor(get(urlPathEqualTo(assets())).withQueryParam("page", absent())
			.willReturn(json(sample("dlcs/api/batch-1001-assets-page-1.json").replace("${dlcsApi}", api))));
		dlcs.stubFor(get(urlPathEqualTo(assets())).withQueryParam("page", equalTo("2"))
			.willReturn(json(sample("dlcs/api/batch-1001-assets-page-2.json").replace("${dlcsApi}", api))));
	}

	@AfterEach
	void clear() {
		this.jobRuns.reset();
		this.jdbc.update("DELETE FROM BATCHYARD_NOTIFICATION");
		this.jdbc.update("DELETE FROM BATCHYARD_INSTANCE_TRIGGER");
		this.jdbc.update("DELETE FROM manifests");
	}

	@Test
	void aBatchWhoseUpdateIsRestartedAutomaticallyStaysIngestingAndEndsCompleted() throws Exception {
		orchestrator(aResponse().withStatus(503));
		JobExecution failed = this.jobRepository.getJobExecution(launch());
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(RestartStatus.of(this.jdbc, failed.getId()).orElseThrow().state()).isEqualTo("PENDING");

		// Waiting for its automatic restart: still ingesting, no error.
		assertShown("Ingesting", null);

		orchestrator(json(sample("dlcs/orchestrator/manifest-query-sample-manifest.json")));
		makeDue(failed.getId());
		JobExecution restart = this.jobRepository.getJobExecution(awaitRestart(failed.getId()));

		assertThat(restart.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(restart.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
		assertShown("Completed", null);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM canvas_paintings WHERE manifest_id ="
				+ " 'sample-manifest' AND ingesting = FALSE AND thumbnail IS NOT NULL", Integer.class))
			.isEqualTo(3);
		assertThat(blobs.resolve("2/manifests/sample-manifest")).isRegularFile();
	}

	@Test
	void aBatchWhoseAutomaticRestartsRanOutShowsFailedWithTheReason() throws Exception {
		orchestrator(aResponse().withStatus(503));
		JobExecution failed = this.jobRepository.getJobExecution(launch());
		assertThat(RestartStatus.of(this.jdbc, failed.getId()).orElseThrow().describe())
			.startsWith("automatic restart 1 of 1 at ");
		assertShown("Ingesting", null);

		makeDue(failed.getId());
		JobExecution last = this.jobRepository.getJobExecution(awaitRestart(failed.getId()));

		assertThat(last.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(RestartStatus.of(this.jdbc, last.getId()).orElseThrow().describe())
			.isEqualTo("no automatic restart: all 1 automatic restarts made");
		String error = assertShown("Failed", "Manifest update failed: ");
		assertThat(error).contains("503")
			.contains("job execution " + last.getId() + " failed")
			.contains("it is not restarted automatically (all 1 automatic restarts made), an operator can restart it");
		// Only shown: the row keeps iiif-presentation's statuses.
		assertThat(this.jdbc.queryForObject("SELECT status FROM batches WHERE id = ?", String.class, BATCH))
			.isEqualTo("Ingesting");
		// The job's own exit description is empty (its steps run in a flow): the
		// notification's summary is the failed step's cause, as the API shows it.
		String payload = this.jdbc.queryForObject(
				"SELECT PAYLOAD FROM BATCHYARD_NOTIFICATION" + " WHERE JOB_EXECUTION_ID = ? AND KIND = 'FAILED'",
				String.class, last.getId());
		assertThat(payload).containsPattern("\"summary\":\"[^\"]*503");
	}

	/**
	 * Launches the update of batch {@value #BATCH} as its queue does, and waits for the
	 * end. (Not returning the execution: Spring Batch's test listeners would take such a
	 * method for a factory of step-scope executions.)
	 */
	private long launch() {
		long id = this.launchService
			.launch(new LaunchRequest(JOB,
					Map.of("customer", "2", "batchId", String.valueOf(BATCH), "finished", "2026-11-20T09:01:10Z"),
					Trigger.QUEUE))
			.getId();
		this.jobRuns.awaitEnd(id);
		return id;
	}

	private long awaitRestart(long failed) {
		long restart = await().atMost(WAIT)
			.until(() -> RestartStatus.of(this.jdbc, failed).orElseThrow(),
					(decision) -> "RESTARTED".equals(decision.state()))
			.restartExecutionId();
		this.jobRuns.awaitEnd(restart);
		return restart;
	}

	/**
	 * Batch {@value #BATCH} as the dashboard's manifests page shows it.
	 * @return its error as shown, or {@code null}
	 */
	private String assertShown(String status, String errorStart) throws Exception {
		String page = this.mvc.perform(MockMvcRequestBuilders.get("/manifests"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String batch = page.substring(page.indexOf(">#" + BATCH + "</a>"));
		batch = batch.substring(0, batch.indexOf("</div>"));
		assertThat(batch).contains("<span class=\"status status-" + status.toLowerCase() + "\">" + status + "</span>");
		if (errorStart == null) {
			assertThat(batch).doesNotContain("batch-error");
			return null;
		}
		String marker = "<small class=\"batch-error\">";
		assertThat(batch).contains(marker + errorStart);
		String error = batch.substring(batch.indexOf(marker) + marker.length());
		return error.substring(0, error.indexOf("</small>"));
	}

	private void orchestrator(ResponseDefinitionBuilder response) {
		dlcs.stubFor(get(urlPathEqualTo(NAMED_QUERY)).willReturn(response));
	}

	private void makeDue(long failedExecution) {
		assertThat(this.jdbc.update(
				"UPDATE BATCHYARD_AUTO_RESTART SET DUE_AT = ? WHERE FAILED_EXECUTION_ID = ?" + " AND STATE = 'PENDING'",
				Timestamp.from(Instant.now().minusSeconds(1)), failedExecution))
			.isOne();
	}

	static ResponseDefinitionBuilder json(String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
	}

	static String assets() {
		return "/api/customers/2/queue/batches/" + BATCH + "/assets";
	}

	static String sample(String path) {
		try {
			return Files.readString(SAMPLE.resolve(path));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
