package io.batchyard.launcher.enhancements;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.batchyard.launcher.support.BatchyardTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithAnonymousUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The requester and robot API end to end on the local blob directory: a request, a signed
 * claim, the references and the upload through the application's signed URLs, the result
 * handed in, {@code enhancementImportJob} launched, the report downloaded.
 */
@BatchyardTest
class EnhancementApiTests {

	static final String SECRET = "test-robot-secret-0123456789";

	static final UUID R1 = UUID.fromString("10000000-0000-0000-0000-000000000001");

	static final UUID R2 = UUID.fromString("10000000-0000-0000-0000-000000000002");

	@TempDir
	static Path blobs;

	/** The sample reference file's directory, the tests run in {@code launcher/}. */
	static final Path SAMPLES = Path.of("..", "sample-data", "enhancements");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("batchyard.robots.clients.robot-1.secret", () -> SECRET);
		registry.add("batchyard.robots.clients.robot-2.secret", () -> SECRET + "-2");
		registry.add("batchyard.enhancements.storage.type", () -> "local");
		registry.add("batchyard.enhancements.storage.directory", () -> blobs.toString());
		registry.add("batchyard.jobs.reference-load.allowed-directories", () -> SAMPLES.toString());
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@BeforeEach
	void references() {
		clear();
		for (UUID id : new UUID[] { R1, R2 }) {
			this.jdbc.update("INSERT INTO reference (id, visibility, identifiers, created_at) VALUES (?, 'public',"
					+ " NULL, ?)", id, Timestamp.from(Instant.now()));
		}
	}

	@AfterEach
	void clear() {
		this.repositoryUtils.removeJobExecutions();
		this.jdbc.update("DELETE FROM robot_request_nonce");
		this.jdbc.update("DELETE FROM robot_result_validation_entry");
		this.jdbc.update("DELETE FROM enhancement");
		this.jdbc.update("UPDATE pending_enhancement SET retry_of = NULL");
		this.jdbc.update("DELETE FROM pending_enhancement");
		this.jdbc.update("DELETE FROM robot_enhancement_batch");
		this.jdbc.update("DELETE FROM enhancement_request");
		this.jdbc.update("DELETE FROM reference");
	}

	static MockHttpServletRequestBuilder signed(MockHttpServletRequestBuilder request, String method, String path,
			String query, String body, String robot, String secret) {
		return signed(request, method, path, query, body, robot, secret, String.valueOf(Instant.now().getEpochSecond()),
				UUID.randomUUID().toString());
	}

	static MockHttpServletRequestBuilder signed(MockHttpServletRequestBuilder request, String method, String path,
			String query, String body, String robot, String secret, String timestamp, String nonce) {
		String pathAndQuery = path + ((query != null) ? "?" + query : "");
		return request
			.header("Authorization",
					"Signature " + RobotSignature.sign(secret, method, pathAndQuery,
							body.getBytes(StandardCharsets.UTF_8), robot, timestamp, nonce))
			.header("X-Client-Id", robot)
			.header("X-Request-Timestamp", timestamp)
			.header("X-Request-Nonce", nonce)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body);
	}

	MvcResult claim(String robot, String secret) throws Exception {
		String path = "/robot-enhancement-batches/";
		String query = "robot_id=" + robot + "&limit=10";
		return this.mvc.perform(signed(post(path + "?" + query), "POST", path, query, "", robot, secret)).andReturn();
	}

	MvcResult results(UUID batch, String body) throws Exception {
		String path = "/robot-enhancement-batches/" + batch + "/results/";
		return this.mvc.perform(signed(post(path), "POST", path, null, body, "robot-1", SECRET)).andReturn();
	}

	String request(String body) throws Exception {
		return this.mvc.perform(post("/enhancement-requests/").contentType(MediaType.APPLICATION_JSON).content(body))
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	static String localPath(String url) {
		URI uri = URI.create(url);
		return uri.getRawPath() + "?" + uri.getRawQuery();
	}

	@Test
	void aRequestIsClaimedEnhancedAndImported() throws Exception {
		this.mvc
			.perform(post("/enhancement-requests/").contentType(MediaType.APPLICATION_JSON)
				.content("{\"robot_id\":\"robot-1\",\"reference_ids\":[\"" + R1 + "\",\"" + R1 + "\"]}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("reference_ids must not contain duplicate ids."))
			.andExpect(jsonPath("$.status").value(400));
		JsonNode created = JsonMapper.shared()
			.readTree(request("{\"robot_id\":\"robot-1\",\"reference_ids\":[\"" + R1 + "\",\"" + R2
					+ "\"],\"source\":\"test\"}"));
		assertThat(created.get("request_status").asString()).isEqualTo("received");
		String requestId = created.get("id").asString();

		assertThat(claim("robot-1", "wrong-secret").getResponse().getStatus()).isEqualTo(401);
		MvcResult claimed = claim("robot-1", SECRET);
		assertThat(claimed.getResponse().getStatus()).isEqualTo(200);
		JsonNode batch = JsonMapper.shared().readTree(claimed.getResponse().getContentAsString());
		UUID batchId = UUID.fromString(batch.get("id").asString());
		assertThat(claim("robot-1", SECRET).getResponse().getStatus()).isEqualTo(204);
		this.mvc.perform(get("/enhancement-requests/" + requestId + "/"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.request_status").value("processing"));

		String referencesUrl = localPath(batch.get("reference_storage_url").asString());
		String references = this.mvc.perform(get(referencesUrl))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(references.split("\n")).containsExactly(
				"{\"id\":\"" + R1 + "\",\"visibility\":\"public\",\"identifiers\":null,\"enhancements\":[]}",
				"{\"id\":\"" + R2 + "\",\"visibility\":\"public\",\"identifiers\":null,\"enhancements\":[]}");
		this.mvc.perform(get(referencesUrl.replace("signature=", "signature=x"))).andExpect(status().isForbidden());

		String result = "{\"reference_id\":\"" + R1 + "\",\"source\":\"robot-1\",\"visibility\":\"public\","
				+ "\"content\":{\"enhancement_type\":\"abstract\",\"process\":\"other\",\"abstract\":\"A study.\"}}\n"
				+ "{\"reference_id\":\"" + R2 + "\",\"message\":\"No abstract found\"}\n";
		String uploadUrl = localPath(batch.get("result_storage_url").asString());
		this.mvc.perform(put(uploadUrl).content(result.getBytes(StandardCharsets.UTF_8))).andExpect(status().isOk());
		this.mvc.perform(get(uploadUrl)).andExpect(status().isForbidden());

		assertThat(
				results(batchId, "{\"request_id\":\"" + UUID.randomUUID() + "\"}").getResponse().getContentAsString())
			.isEqualTo("{\"error\":\"Request ID mismatch\",\"status\":400}");
		MvcResult accepted = results(batchId, "{\"request_id\":\"" + batchId + "\",\"error\":null}");
		assertThat(accepted.getResponse().getStatus()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			var instance = this.jobRepository.getLastJobInstance("enhancementImportJob");
			return instance != null
					&& this.jobRepository.getLastJobExecution(instance).getStatus() == BatchStatus.COMPLETED;
		});
		long importExecution = this.jobRepository
			.getLastJobExecution(this.jobRepository.getLastJobInstance("enhancementImportJob"))
			.getId();
		assertThat(this.jdbc.queryForObject("SELECT import_execution_id FROM robot_enhancement_batch WHERE id = ?",
				Long.class, batchId))
			.isEqualTo(importExecution);
		assertThat(this.mvc.perform(get("/enhancements"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString()).contains("data-batch=\"" + batchId + "\"")
			.contains("href=\"/executions/" + importExecution + "\">execution " + importExecution + "<");
		this.mvc.perform(get("/enhancement-requests/" + requestId + "/"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.request_status").value("partial_failed"))
			.andExpect(jsonPath("$.reference_ids[0]").value(R1.toString()));

		String path = "/robot-enhancement-batches/" + batchId + "/";
		JsonNode read = JsonMapper.shared()
			.readTree(this.mvc.perform(signed(get(path), "GET", path, null, "", "robot-1", SECRET))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString());
		assertThat(read.get("status").asString()).isEqualTo("partial_failed");
		String report = this.mvc.perform(get(localPath(read.get("validation_result_url").asString())))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(report.split("\n")).containsExactly("{\"reference_id\":\"" + R1 + "\"}",
				"{\"reference_id\":\"" + R2 + "\",\"error\":\"No abstract found\"}");
		this.mvc.perform(signed(get(path), "GET", path, null, "", "robot-2", SECRET + "-2"))
			.andExpect(status().isNotFound());
	}

	@Test
	void aResultAfterTheLeaseExpiredIsRefusedWith422() throws Exception {
		request("{\"robot_id\":\"robot-1\",\"reference_ids\":[\"" + R1 + "\"]}");
		UUID batchId = UUID.fromString(JsonMapper.shared()
			.readTree(claim("robot-1", SECRET).getResponse().getContentAsString())
			.get("id")
			.asString());
		this.jdbc.update("UPDATE robot_enhancement_batch SET expires_at = ?",
				Timestamp.from(Instant.now().minusSeconds(1)));
		MvcResult late = results(batchId, "{\"request_id\":\"" + batchId + "\"}");
		assertThat(late.getResponse().getStatus()).isEqualTo(422);
		assertThat(JsonMapper.shared().readTree(late.getResponse().getContentAsString()).get("error").asString())
			.startsWith("Cannot process results: the lease of batch " + batchId + " expired at ");
	}

	@Test
	void aBatchLevelErrorFailsTheBatchWithoutAnImport() throws Exception {
		String requestId = JsonMapper.shared()
			.readTree(request("{\"robot_id\":\"robot-1\",\"reference_ids\":[\"" + R1 + "\"]}"))
			.get("id")
			.asString();
		UUID batchId = UUID.fromString(JsonMapper.shared()
			.readTree(claim("robot-1", SECRET).getResponse().getContentAsString())
			.get("id")
			.asString());
		MvcResult failed = results(batchId,
				"{\"request_id\":\"" + batchId + "\",\"error\":{\"message\":\"GPU quota exceeded\"}}");
		assertThat(failed.getResponse().getStatus()).isEqualTo(200);
		JsonNode read = JsonMapper.shared().readTree(failed.getResponse().getContentAsString());
		assertThat(read.get("status").asString()).isEqualTo("failed");
		assertThat(read.get("error").asString()).isEqualTo("GPU quota exceeded");
		assertThat(this.jobRepository.getLastJobInstance("enhancementImportJob")).isNull();
		this.mvc.perform(get("/enhancement-requests/" + requestId + "/"))
			.andExpect(jsonPath("$.request_status").value("failed"));
	}

	@Test
	@WithAnonymousUser
	void robotsNeedASignatureAndRequestersTheirUsualCredentials() throws Exception {
		this.mvc.perform(post("/robot-enhancement-batches/?robot_id=robot-1&limit=1"))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.status").value(401));
		this.mvc.perform(get("/enhancement-requests/" + UUID.randomUUID() + "/")).andExpect(status().isUnauthorized());
		assertThat(claim("robot-9", SECRET).getResponse().getStatus()).isEqualTo(401);
		String path = "/robot-enhancement-batches/";
		String query = "robot_id=robot-1&limit=10";
		assertThat(this.mvc.perform(signed(post(path + "?" + query), "POST", path, query, "", "robot-2", SECRET + "-2"))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(403);
	}

	@Test
	void aClaimTakesTheRequestedLeaseAndRefusesANonPositiveOne() throws Exception {
		request("{\"robot_id\":\"robot-1\",\"reference_ids\":[\"" + R1 + "\"]}");
		String path = "/robot-enhancement-batches/";
		String refused = "robot_id=robot-1&limit=10&lease=PT0S";
		this.mvc.perform(signed(post(path + "?" + refused), "POST", path, refused, "", "robot-1", SECRET))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("lease must be a positive ISO-8601 duration such as PT10M"));
		String query = "robot_id=robot-1&limit=10&lease=PT2M";
		Instant before = Instant.now();
		JsonNode batch = JsonMapper.shared()
			.readTree(this.mvc.perform(signed(post(path + "?" + query), "POST", path, query, "", "robot-1", SECRET))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString());
		Instant expires = this.jdbc
			.queryForObject("SELECT expires_at FROM robot_enhancement_batch WHERE id = ?", Timestamp.class,
					UUID.fromString(batch.get("id").asString()))
			.toInstant();
		assertThat(expires).isBetween(before.plusSeconds(119), Instant.now().plusSeconds(121));
	}

	@Test
	void aSignedRequestIsAcceptedOnceAndItsReplaysAreRefusedOnEveryNode() throws Exception {
		request("{\"robot_id\":\"robot-1\",\"reference_ids\":[\"" + R1 + "\",\"" + R2 + "\"]}");
		String path = "/robot-enhancement-batches/";
		String query = "robot_id=robot-1&limit=1";
		String timestamp = String.valueOf(Instant.now().getEpochSecond());
		String nonce = UUID.randomUUID().toString();
		this.mvc.perform(signed(post(path + "?" + query), "POST", path, query, "", "robot-1", SECRET, timestamp, nonce))
			.andExpect(status().isOk());
		for (int replay = 0; replay < 2; replay++) {
			this.mvc
				.perform(signed(post(path + "?" + query), "POST", path, query, "", "robot-1", SECRET, timestamp, nonce))
				.andExpect(status().isUnauthorized())
				.andExpect(jsonPath("$.error").value("Replayed request: this X-Request-Nonce was already used"))
				.andExpect(jsonPath("$.status").value(401));
		}
		// Another nonce under the captured signature: the signature no longer matches.
		String signature = RobotSignature.sign(SECRET, "POST", path + "?" + query, new byte[0], "robot-1", timestamp,
				nonce);
		this.mvc
			.perform(post(path + "?" + query).header("Authorization", "Signature " + signature)
				.header("X-Client-Id", "robot-1")
				.header("X-Request-Timestamp", timestamp)
				.header("X-Request-Nonce", UUID.randomUUID().toString()))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error").value("Unknown robot or invalid signature"));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM robot_enhancement_batch", Integer.class))
			.isEqualTo(1);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM pending_enhancement WHERE status = 'pending'",
				Integer.class))
			.isEqualTo(1);
		// The nonce is in the database: another node sharing it refuses it as well.
		RobotNonces otherNode = new RobotNonces(this.jdbc, Clock.systemUTC());
		assertThat(otherNode.firstUse("robot-1", nonce, Instant.now().plusSeconds(600))).isFalse();
		assertThat(otherNode.firstUse("robot-2", nonce, Instant.now().plusSeconds(600))).isTrue();
	}

	@Test
	@WithAnonymousUser
	void aRobotRequestWithoutAUsableNonceIsRefused() throws Exception {
		String path = "/robot-enhancement-batches/";
		String query = "robot_id=robot-1&limit=1";
		String timestamp = String.valueOf(Instant.now().getEpochSecond());
		// The former scheme: a signature without a nonce.
		String unsigned = "POST " + path + "?" + query + "\n:robot-1:" + timestamp;
		javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
		mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String former = java.util.HexFormat.of().formatHex(mac.doFinal(unsigned.getBytes(StandardCharsets.UTF_8)));
		this.mvc
			.perform(post(path + "?" + query).header("Authorization", "Signature " + former)
				.header("X-Client-Id", "robot-1")
				.header("X-Request-Timestamp", timestamp))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error").value("Robot authentication required: Authorization: Signature <hmac>,"
					+ " X-Client-Id, X-Request-Timestamp and X-Request-Nonce"));
		this.mvc
			.perform(signed(post(path + "?" + query), "POST", path, query, "", "robot-1", SECRET, timestamp, "short"))
			.andExpect(status().isUnauthorized())
			.andExpect(
					jsonPath("$.error").value(org.hamcrest.Matchers.startsWith("X-Request-Nonce must be 16 to 128")));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM robot_request_nonce", Integer.class)).isZero();
	}

	@Test
	void expiredNoncesArePurgedAtMostOncePerInterval() {
		Instant now = Instant.now();
		insertNonce("robot-1", "expired-nonce-000001", now.minusSeconds(1));
		insertNonce("robot-1", "current-nonce-000001", now.plusSeconds(60));
		RobotNonces nonces = new RobotNonces(this.jdbc, Clock.fixed(now, java.time.ZoneOffset.UTC));
		assertThat(nonces.firstUse("robot-1", "new-nonce-0000000001", now.plusSeconds(600))).isTrue();
		assertThat(this.jdbc.queryForList("SELECT nonce FROM robot_request_nonce ORDER BY nonce", String.class))
			.containsExactly("current-nonce-000001", "new-nonce-0000000001");
		// Within the interval the insert does not delete again.
		insertNonce("robot-1", "expired-nonce-000002", now.minusSeconds(1));
		assertThat(nonces.firstUse("robot-1", "new-nonce-0000000002", now.plusSeconds(600))).isTrue();
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM robot_request_nonce", Integer.class)).isEqualTo(4);
		RobotNonces later = new RobotNonces(this.jdbc,
				Clock.fixed(now.plus(RobotNonces.PURGE_INTERVAL).plusSeconds(61), java.time.ZoneOffset.UTC));
		assertThat(later.firstUse("robot-1", "new-nonce-0000000003", now.plusSeconds(600))).isTrue();
		assertThat(this.jdbc.queryForList("SELECT nonce FROM robot_request_nonce ORDER BY nonce", String.class))
			.containsExactly("new-nonce-0000000001", "new-nonce-0000000002", "new-nonce-0000000003");
	}

	private void insertNonce(String robot, String nonce, Instant expiresAt) {
		this.jdbc.update("INSERT INTO robot_request_nonce (client_id, nonce, expires_at) VALUES (?, ?, ?)", robot,
				nonce, Timestamp.from(expiresAt));
	}

	@Test
	void referenceLoadJobReadsFilesOnlyUnderItsAllowedDirectories() throws Exception {
		for (String input : new String[] { "file:/etc/passwd", "file:" + SAMPLES + "/../../pom.xml",
				"file:" + SAMPLES.toAbsolutePath() + "/../../../../../../../../etc/passwd" }) {
			this.mvc
				.perform(post("/api/jobs/referenceLoadJob/executions").contentType(MediaType.APPLICATION_JSON)
					.content("{\"parameters\": {\"input\": \"" + input + "\"}}"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.status").value(400))
				.andExpect(jsonPath("$.error").value(org.hamcrest.Matchers.containsString(
						" is not in a directory listed in batchyard.jobs.reference-load.allowed-directories")));
		}
		assertThat(this.jobRepository.getLastJobInstance("referenceLoadJob")).isNull();
		this.mvc
			.perform(post("/api/jobs/referenceLoadJob/executions").contentType(MediaType.APPLICATION_JSON)
				.content("{\"parameters\": {\"input\": \"file:" + SAMPLES.resolve("references.jsonl") + "\"}}"))
			.andExpect(status().isAccepted());
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			var instance = this.jobRepository.getLastJobInstance("referenceLoadJob");
			return instance != null && !this.jobRepository.getLastJobExecution(instance).getStatus().isRunning();
		});
		var execution = this.jobRepository
			.getLastJobExecution(this.jobRepository.getLastJobInstance("referenceLoadJob"));
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED WITH SKIPS");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM reference", Integer.class)).isEqualTo(22);
	}

}
