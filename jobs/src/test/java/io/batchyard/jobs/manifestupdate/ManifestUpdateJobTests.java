package io.batchyard.jobs.manifestupdate;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.batchyard.jobs.support.Steps;
import io.batchyard.readers.blob.BlobStore;
import io.batchyard.test.S3ProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code manifestUpdateJob} end to end on one database (the subclasses): WireMock serving
 * the recorded DLCS responses of {@code sample-data/manifest-update}, the manifest in a
 * real S3-protocol server (S3Proxy), chunks of 2 so the three assets span two chunks and
 * two API pages.
 */
@SpringBootTest(classes = ManifestUpdateTestApplication.class)
@SpringBatchTest
abstract class ManifestUpdateJobTests {

	static final String BUCKET = "manifests-" + UUID.randomUUID().toString().substring(0, 8);

	/** A non-secret test key: 32 bytes, base64. */
	static final String JWT_KEY = Base64.getEncoder()
		.encodeToString("test-only-key-0123456789abcdefgh".getBytes(StandardCharsets.US_ASCII));

	static final String STAGED = "staged/2/manifests/sample-manifest";

	static final String PUBLISHED = "2/manifests/sample-manifest";

	@RegisterExtension
	static WireMockExtension dlcs = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("batchyard.jobs.manifest-update.chunk-size", () -> "2");
		registry.add("batchyard.jobs.manifest-update.presentation-api-url", () -> "https://iiif.test/presentation/");
		registry.add("batchyard.jobs.manifest-update.dlcs.api-url", () -> dlcs.baseUrl() + "/api/");
		registry.add("batchyard.jobs.manifest-update.dlcs.orchestrator-url", () -> dlcs.baseUrl() + "/orchestrator/");
		registry.add("batchyard.jobs.manifest-update.dlcs.jwt-key", () -> JWT_KEY);
		registry.add("batchyard.jobs.manifest-update.dlcs.max-attempts", () -> "3");
		registry.add("batchyard.jobs.manifest-update.dlcs.back-off", () -> "10ms");
		registry.add("batchyard.jobs.manifest-update.dlcs.max-back-off", () -> "20ms");
		registry.add("batchyard.jobs.manifest-update.dlcs.read-timeout", () -> "5s");
		S3ProxyServer.registerStorage(registry, "batchyard.jobs.manifest-update.storage", BUCKET);
	}

	@Autowired
	JobOperatorTestUtils jobUtils;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	Job manifestUpdateJob;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	BlobStore manifestUpdateBlobStore;

	@BeforeAll
	static void bucket() {
		try (var s3 = S3ProxyServer.newClient()) {
			if (s3.listBuckets().buckets().stream().noneMatch((bucket) -> bucket.name().equals(BUCKET))) {
				S3ProxyServer.createBucket(BUCKET);
			}
		}
	}

	@BeforeEach
	void seed() {
		this.jobUtils.setJob(this.manifestUpdateJob);
		reseed();
		DlcsStandIn.serve(dlcs);
	}

	@AfterEach
	void cleanUp() {
		this.repositoryUtils.removeJobExecutions();
	}

	void reseed() {
		this.jdbc.update("DELETE FROM manifests");
		new ResourceDatabasePopulator(
				new FileSystemResource(DlcsStandIn.SAMPLE_DATA.resolve("presentation.sql").toFile()))
			.execute(this.jdbc.getDataSource());
		this.manifestUpdateBlobStore.delete(PUBLISHED);
		this.manifestUpdateBlobStore.write(STAGED,
				DlcsStandIn.sample("blobs/staged/2/manifests/sample-manifest").getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void updatesTheCanvasPaintingsAndPublishesTheMergedManifest() throws Exception {
		JobExecution execution = this.jobUtils.startJob(parameters(1001));

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo(ExitStatus.COMPLETED.getExitCode());
		StepExecution assets = Steps.of(execution, "fetchBatchAssetsStep");
		assertThat(assets.getReadCount()).isEqualTo(3);
		assertThat(assets.getWriteCount()).isEqualTo(3);
		assertThat(assets.getCommitCount()).isEqualTo(2);
		assertThat(Steps.of(execution, "fetchNamedQueryStep").getWriteCount()).isEqualTo(3);
		assertThat(Steps.of(execution, "updateCanvasPaintingsStep").getWriteCount()).isEqualTo(3);
		assertThat(Steps.of(execution, "mergeManifestStep").getWriteCount()).isEqualTo(3);

		assertThat(this.jdbc.queryForList("SELECT asset_id, width, height, error FROM batch_assets ORDER BY asset_id"))
			.containsExactly(
					row("asset_id", "2/5/envelope", "width", null, "height", null, "error",
							"Origin returned 404 Not Found"),
					row("asset_id", "2/5/page-001", "width", 3000, "height", 4000, "error", null),
					row("asset_id", "2/5/page-002", "width", 3010, "height", 4020, "error", null));
		assertThat(paintings()).containsExactly(
				painting("c1", "https://dlc.services/thumbs/v3/2/5/page-001/full/75,100/0/default.jpg", 3000, 4000,
						null),
				painting("c2", "https://dlc.services/thumbs/v3/2/5/page-002/full/75,100/0/default.jpg", 3010, 4020,
						null),
				painting("c3", "https://dlc.services/thumbs/v3/2/5/envelope/full/75,100/0/default.jpg", 1200, 800,
						"Origin returned 404 Not Found"));
		assertThat(this.jdbc.queryForList("SELECT id, status FROM batches ORDER BY id"))
			.containsExactly(row("id", 1000, "status", "Completed"), row("id", 1001, "status", "Completed"));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM batches WHERE id = 1001 AND processed IS NOT NULL",
				Integer.class))
			.isOne();
		assertThat(this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM manifests WHERE id = 'sample-manifest' AND last_processed IS NOT NULL",
				Integer.class))
			.isOne();

		assertThat(this.manifestUpdateBlobStore.exists(STAGED)).isFalse();
		JsonNode manifest = JsonMapper.shared().readTree(this.manifestUpdateBlobStore.read(PUBLISHED));
		// The staged skeleton's id was https://presentation.example/2/manifests/...
		assertThat(manifest.path("id").asString())
			.isEqualTo("https://iiif.test/presentation/2/manifests/sample-manifest");
		assertThat(manifest.path("items")).hasSize(3);
		JsonNode first = manifest.path("items").path(0);
		assertThat(first.path("id").asString()).isEqualTo("https://presentation.example/2/canvases/c1");
		assertThat(first.path("label").path("en").path(0).asString()).isEqualTo("Letter, page 1");
		assertThat(first.path("width").intValue()).isEqualTo(3000);
		assertThat(first.path("height").intValue()).isEqualTo(4000);
		assertThat(first.path("thumbnail").path(0).path("id").asString())
			.isEqualTo("https://dlc.services/thumbs/v3/2/5/page-001/full/75,100/0/default.jpg");
		JsonNode annotation = first.path("items").path(0).path("items").path(0);
		assertThat(annotation.path("target").asString()).isEqualTo("https://presentation.example/2/canvases/c1");
		assertThat(annotation.path("body").path("id").asString())
			.isEqualTo("https://dlc.services/iiif-img/v3/2/5/page-001/full/3000,4000/0/default.jpg");
		assertThat(manifest.path("items").path(2).path("label").path("en").path(0).asString()).isEqualTo("Envelope");

		List<LoggedRequest> apiCalls = dlcs.findAll(getRequestedFor(urlPathEqualTo(DlcsStandIn.ASSETS)));
		assertThat(apiCalls).hasSize(2);
		String token = apiCalls.get(0).getHeader("Authorization").substring("Bearer ".length());
		assertThat(claims(token)).containsEntry("sub", "urn:dlcs:user:2")
			.containsEntry("iss", "urn:presentation:default");
		assertThat(dlcs.findAll(getRequestedFor(urlPathEqualTo(DlcsStandIn.NAMED_QUERY)))).singleElement()
			.satisfies((request) -> assertThat(request.queryParameter("cacheBust").isPresent()).isTrue());
	}

	@Test
	void onlyMarksTheBatchWhenAnotherBatchOfTheManifestIsStillIngesting() throws Exception {
		this.jdbc.update("INSERT INTO batches (id, customer_id, status, submitted, manifest_id)"
				+ " VALUES (1002, 2, 'Ingesting', CURRENT_TIMESTAMP, 'sample-manifest')");
		List<Map<String, Object>> before = paintings();

		JobExecution execution = this.jobUtils.startJob(parameters(1001));

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitCode())
			.isEqualTo(ManifestUpdateJobConfiguration.OTHER_BATCHES_INGESTING);
		assertThat(execution.getStepExecutions()).extracting(StepExecution::getStepName)
			.containsExactly("recordCompletionStep");
		assertThat(this.jdbc.queryForList("SELECT id, status FROM batches ORDER BY id")).containsExactly(
				row("id", 1000, "status", "Completed"), row("id", 1001, "status", "Completed"),
				row("id", 1002, "status", "Ingesting"));
		assertThat(this.jdbc.queryForObject("SELECT finished FROM batches WHERE id = 1001", Object.class)).isNotNull();
		assertThat(paintings()).isEqualTo(before);
		assertThat(this.manifestUpdateBlobStore.exists(STAGED)).isTrue();
		assertThat(this.manifestUpdateBlobStore.exists(PUBLISHED)).isFalse();
		assertThat(dlcs.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void endsWithUnknownBatchForABatchNoManifestTracks() throws Exception {
		List<Map<String, Object>> before = paintings();

		JobExecution execution = this.jobUtils.startJob(parameters(4242));

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo(ManifestUpdateJobConfiguration.UNKNOWN_BATCH);
		assertThat(execution.getStepExecutions()).hasSize(1);
		assertThat(paintings()).isEqualTo(before);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM batches WHERE status = 'Ingesting'", Integer.class))
			.isOne();
		assertThat(dlcs.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void restartAfterTheOrchestratorFailedDoesNotCallTheApiAgainAndEndsAsAnUninterruptedRun() throws Exception {
		dlcs.stubFor(
				DlcsStandIn.namedQuery().willReturn(aResponse().withStatus(500).withBody("Internal Server Error")));

		JobExecution first = this.jobUtils.startJob(parameters(1001));

		assertThat(first.getStatus()).isEqualTo(BatchStatus.FAILED);
		StepExecution failed = Steps.of(first, "fetchNamedQueryStep");
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(failed.getExitStatus().getExitDescription())
			.contains("DLCS Orchestrator named query 'manifest-query' GET")
			.contains("failed after 3 attempt(s), last with HTTP 500");
		assertThat(dlcs.findAll(getRequestedFor(urlPathEqualTo(DlcsStandIn.NAMED_QUERY)))).hasSize(3);
		assertThat(dlcs.findAll(getRequestedFor(urlPathEqualTo(DlcsStandIn.ASSETS)))).hasSize(2);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM batch_assets", Integer.class)).isEqualTo(3);
		assertThat(this.manifestUpdateBlobStore.exists(STAGED)).isTrue();

		DlcsStandIn.serve(dlcs);
		JobExecution second = this.jobUtils.startJob(parameters(1001));

		assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(second.getJobInstanceId()).isEqualTo(first.getJobInstanceId());
		JobInstance instance = this.jobRepository.getJobInstance(first.getJobInstanceId());
		assertThat(this.jobRepository.getJobExecutions(instance)).hasSize(2);
		assertThat(second.getStepExecutions()).extracting(StepExecution::getStepName)
			.containsExactly("fetchNamedQueryStep", "updateCanvasPaintingsStep", "mergeManifestStep");
		assertThat(dlcs.findAll(getRequestedFor(urlPathEqualTo(DlcsStandIn.ASSETS)))).hasSize(2);
		Map<String, Object> restarted = outcome();

		this.repositoryUtils.removeJobExecutions();
		this.jdbc.update("DELETE FROM batch_assets");
		reseed();
		JobExecution uninterrupted = this.jobUtils.startJob(parameters(1001));

		assertThat(uninterrupted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(outcome()).isEqualTo(restarted);
	}

	@Test
	void rerunningACompletedBatchChangesNothing() throws Exception {
		assertThat(this.jobUtils.startJob(parameters(1001)).getStatus()).isEqualTo(BatchStatus.COMPLETED);
		Map<String, Object> completed = everything();
		int requests = dlcs.findAll(anyRequestedFor(anyUrl())).size();

		assertThatExceptionOfType(JobInstanceAlreadyCompleteException.class)
			.isThrownBy(() -> this.jobUtils.startJob(parameters(1001)));
		// The same notification once the job repository forgot the instance (purged).
		this.repositoryUtils.removeJobExecutions();
		JobExecution again = this.jobUtils.startJob(parameters(1001));

		assertThat(again.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(again.getExitStatus().getExitCode()).isEqualTo(ManifestUpdateJobConfiguration.ALREADY_COMPLETED);
		assertThat(everything()).isEqualTo(completed);
		assertThat(dlcs.findAll(anyRequestedFor(anyUrl()))).hasSize(requests);
	}

	@Test
	void failsWithTheCanvasIdThatCannotBeMappedToAnAsset() throws Exception {
		String bad = "https://dlc.services/iiif-resource/2/five/page-001/canvas/c/0";
		DlcsStandIn.serveNamedQuery(dlcs, DlcsStandIn.sample("dlcs/orchestrator/manifest-query-sample-manifest.json")
			.replace("https://dlc.services/iiif-resource/2/5/page-001/canvas/c/0\"", bad + "\""));
		List<Map<String, Object>> before = paintings();

		JobExecution execution = this.jobUtils.startJob(parameters(1001));

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(Steps.of(execution, "fetchNamedQueryStep").getExitStatus().getExitDescription())
			.contains("Canvas id '" + bad + "' cannot be mapped to an asset");
		assertThat(paintings()).isEqualTo(before);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM batch_canvases", Integer.class)).isZero();
	}

	@Test
	void unauthorizedFailsNamingTheCallWithoutRetrying() throws Exception {
		dlcs.stubFor(get(urlPathEqualTo(DlcsStandIn.ASSETS)).atPriority(1)
			.willReturn(aResponse().withStatus(401).withBody("{\"description\":\"Unauthorized\"}")));

		JobExecution execution = this.jobUtils.startJob(parameters(1001));

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(Steps.of(execution, "fetchBatchAssetsStep").getExitStatus().getExitDescription())
			.contains("DLCS API batch assets GET " + dlcs.baseUrl() + DlcsStandIn.ASSETS)
			.contains("was refused with HTTP 401");
		assertThat(dlcs.findAll(getRequestedFor(urlPathEqualTo(DlcsStandIn.ASSETS)))).hasSize(1);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM batch_assets", Integer.class)).isZero();
	}

	static JobParameters parameters(long batch) {
		return new JobParametersBuilder().addLong(ManifestUpdateJobConfiguration.CUSTOMER, 2L)
			.addLong(ManifestUpdateJobConfiguration.BATCH_ID, batch)
			.addString(ManifestUpdateJobConfiguration.FINISHED, "2026-11-20T09:01:10Z", false)
			.toJobParameters();
	}

	List<Map<String, Object>> paintings() {
		return this.jdbc.queryForList("SELECT canvas_id, thumbnail, static_width, static_height, ingesting, error"
				+ " FROM canvas_paintings ORDER BY canvas_order");
	}

	/** What a run leaves, without the times it ran at. */
	Map<String, Object> outcome() {
		return Map.of("paintings", paintings(), "batches",
				this.jdbc.queryForList("SELECT id, status, finished FROM batches ORDER BY id"), "assets",
				this.jdbc.queryForList(
						"SELECT asset_id, width, height, ingesting, error FROM batch_assets ORDER BY asset_id"),
				"staged", this.manifestUpdateBlobStore.exists(STAGED), "published",
				new String(this.manifestUpdateBlobStore.read(PUBLISHED), StandardCharsets.UTF_8));
	}

	/** Every row and byte, times included. */
	Map<String, Object> everything() {
		return Map.of("paintings", this.jdbc.queryForList("SELECT * FROM canvas_paintings ORDER BY canvas_order"),
				"batches", this.jdbc.queryForList("SELECT * FROM batches ORDER BY id"), "manifests",
				this.jdbc.queryForList("SELECT * FROM manifests"), "assets",
				this.jdbc.queryForList("SELECT * FROM batch_assets ORDER BY asset_id"), "canvases",
				this.jdbc.queryForList("SELECT batch_id, asset_id, canvas_id FROM batch_canvases ORDER BY asset_id"),
				"staged", this.manifestUpdateBlobStore.exists(STAGED), "published",
				new String(this.manifestUpdateBlobStore.read(PUBLISHED), StandardCharsets.UTF_8));
	}

	static Map<String, Object> painting(String canvas, String thumbnail, Integer width, Integer height, String error) {
		return row("canvas_id", canvas, "thumbnail", thumbnail, "static_width", width, "static_height", height,
				"ingesting", false, "error", error);
	}

	static Map<String, Object> row(Object... keysAndValues) {
		Map<String, Object> row = new java.util.LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			row.put(((String) keysAndValues[i]).toUpperCase(java.util.Locale.ROOT), keysAndValues[i + 1]);
		}
		return new org.springframework.util.LinkedCaseInsensitiveMap<Object>() {
			{
				putAll(row);
			}
		};
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> claims(String token) throws Exception {
		String[] parts = token.split("\\.");
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(Base64.getDecoder().decode(JWT_KEY), "HmacSHA256"));
		String signature = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
		assertThat(parts[2]).as("HS256 signature").isEqualTo(signature);
		Map<String, Object> claims = JsonMapper.shared().readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
		assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue()).isEqualTo(300);
		return claims;
	}

}
