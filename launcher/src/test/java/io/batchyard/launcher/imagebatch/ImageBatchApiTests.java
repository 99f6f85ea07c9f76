package io.batchyard.launcher.imagebatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.batchyard.test.EmulatorClients;
import io.batchyard.jobs.imageingest.ImageBatches;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import io.batchyard.readers.blob.BlobStore;
import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.ImageServer;
import io.batchyard.test.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithAnonymousUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The image batch API through the whole application (MockMvc, no login, no CSRF token):
 * the original service's validation and errors, a batch through {@code imageIngestJob} to
 * its stored images and queue messages, listing, and cancelling a running batch. Images
 * come from a real HTTP server on 127.0.0.1; messages go to ElasticMQ.
 */
@BatchyardTest
@Import(JobRuns.class)
class ImageBatchApiTests {

	static final String QUEUE = "image_upload-api-" + UUID.randomUUID().toString().substring(0, 8);

	static ImageServer images = ImageServer.start();

	static SqsClient sqs;

	static String queueUrl;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.aws.sqs.endpoint", ElasticMqServer::endpoint);
		registry.add("batchyard.jobs.image-ingest.queue", () -> QUEUE);
		registry.add("batchyard.jobs.image-ingest.chunk-size", () -> "2");
		registry.add("batchyard.jobs.image-ingest.concurrency", () -> "2");
		registry.add("batchyard.jobs.image-ingest.fetch.allowed-hosts", () -> "127.0.0.1");
		registry.add("batchyard.jobs.image-ingest.storage.directory", () -> "target/test-images/" + UUID.randomUUID());
		registry.add("batchyard.image-batch-api.max-request-size", () -> "64KB");
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JobRuns runs;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	BlobStore imageIngestBlobStore;

	@Autowired
	ImageBatches imageBatches;

	@BeforeAll
	static void queue() {
		sqs = EmulatorClients.client(SqsClient.builder(), ElasticMqServer.endpoint());
		queueUrl = sqs.createQueue((request) -> request.queueName(QUEUE)).queueUrl();
	}

	@AfterAll
	static void stop() {
		images.close();
		sqs.close();
	}

	@AfterEach
	void cleanUp() {
		images.latency(Duration.ZERO);
		this.runs.reset();
		this.jdbc.update("DELETE FROM image_batches");
	}

	@Test
	@WithAnonymousUser
	void refusesInvalidRequestsWithTheOriginalErrors() throws Exception {
		refused("{not json", 400)
			.andExpect(jsonPath("$.error").value(org.hamcrest.Matchers.startsWith("Invalid request body: ")));
		refused("{}", 400).andExpect(content().string("{\"error\":\"No images provided\",\"status\":400}"));
		refused("{\"images\":[]}", 400)
			.andExpect(content().json("{\"error\":\"No images provided\",\"status\":400}", true));
		StringBuilder many = new StringBuilder("{\"images\":[");
		for (int i = 0; i < 101; i++) {
			many.append((i > 0) ? "," : "").append("{\"url\":\"http://example.com/").append(i).append(".jpg\"}");
		}
		refused(many.append("]}").toString(), 400)
			.andExpect(content().json("{\"error\":\"Maximum 100 images per batch\",\"status\":400}", true));
		refused("{\"images\":[{\"url\":\"http://example.com/a.jpg\"},{\"name\":\"b.jpg\"}]}", 400).andExpect(
				content().json("{\"error\":\"Image 1: either url or base64 must be provided\",\"status\":400}", true));
		refused("{\"images\":[{\"url\":\"http://example.com/a.jpg\",\"base64\":\"AAAA\"}]}", 400).andExpect(content()
			.json("{\"error\":\"Image 0: only one of url or base64 should be provided\",\"status\":400}", true));
		String large = "{\"images\":[{\"base64\":\"" + "A".repeat(70 * 1024) + "\"}]}";
		refused(large, 413).andExpect(content()
			.json("{\"error\":\"Request body too large: the limit is 65536 bytes\",\"status\":413}", true));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM image_batches", Integer.class)).isZero();
	}

	@Test
	@WithAnonymousUser
	void unknownBatchesAndWrongMethodsAnswerJsonErrors() throws Exception {
		String id = UUID.randomUUID().toString();
		this.mvc.perform(get("/api/v1/batch/" + id))
			.andExpect(status().isNotFound())
			.andExpect(content().json("{\"error\":\"Job not found: " + id + "\",\"status\":404}", true));
		this.mvc.perform(delete("/api/v1/batch/" + id))
			.andExpect(status().isNotFound())
			.andExpect(content().json("{\"error\":\"Job not found: " + id + "\",\"status\":404}", true));
		this.mvc.perform(get("/api/v1/batch/not-a-uuid"))
			.andExpect(status().isNotFound())
			.andExpect(content().json("{\"error\":\"Job not found: not-a-uuid\",\"status\":404}", true));
		this.mvc.perform(put("/api/v1/batch").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isMethodNotAllowed())
			.andExpect(content().string("{\"error\":\"Method not allowed\",\"status\":405}"));
		this.mvc.perform(post("/api/v1/batch/" + id))
			.andExpect(status().isMethodNotAllowed())
			.andExpect(content().json("{\"error\":\"Method not allowed\",\"status\":405}", true));
		// The operations API keeps its own authentication.
		this.mvc.perform(get("/api/jobs")).andExpect(status().isUnauthorized());
	}

	@Test
	@WithAnonymousUser
	void aBatchRunsThroughTheJobToStoredImagesAndTheQueue() throws Exception {
		byte[] png = TestImages.png(20, 10);
		byte[] jpeg = TestImages.jpeg(16, 16);
		String pngUrl = images.serve("/api/one.png", "image/png", png);
		String body = "{\"images\":[{\"url\":\"" + pngUrl + "\",\"name\":\"../one.png\"},"
				+ "{\"base64\":\"data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg)
				+ "\",\"name\":\"two.jpg\"},{\"url\":\"" + images.url("/api/missing.jpg") + "\"}]}";

		MvcResult created = this.mvc
			.perform(post("/api/v1/batch").contentType(MediaType.APPLICATION_JSON).content(body))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.status").value("pending"))
			.andExpect(jsonPath("$.message").value("Batch job created with 3 images"))
			.andExpect(jsonPath("$.created_at")
				.value(org.hamcrest.Matchers.matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ")))
			.andReturn();
		String id = json(created).path("job_id").asString();

		JsonNode batch = await().atMost(Duration.ofSeconds(20))
			.until(() -> json(this.mvc.perform(get("/api/v1/batch/" + id)).andExpect(status().isOk()).andReturn()),
					(view) -> view.path("status").asString().equals("completed"));
		assertThat(batch.path("job_id").asString()).isEqualTo(id);
		assertThat(batch.path("total_images").asInt()).isEqualTo(3);
		assertThat(batch.path("completed").asInt()).isEqualTo(2);
		assertThat(batch.path("failed").asInt()).isEqualTo(1);
		assertThat(batch.path("progress").asDouble()).isEqualTo(100.0);
		assertThat(batch.path("completed_at").isString()).isTrue();
		JsonNode first = batch.path("images").get(0);
		assertThat(first.propertyNames()).containsExactly("index", "original_filename", "status", "trace_id",
				"processed_path", "start_time", "end_time");
		assertThat(first.path("original_filename").asString()).isEqualTo("one.png");
		String trace = first.path("trace_id").asString();
		assertThat(first.path("processed_path").asString()).isEqualTo(trace + "/one.png");
		assertThat(this.imageIngestBlobStore.read(trace + "/one.png")).isEqualTo(png);
		JsonNode second = batch.path("images").get(1);
		assertThat(this.imageIngestBlobStore.read(second.path("processed_path").asString())).isEqualTo(jpeg);
		JsonNode third = batch.path("images").get(2);
		assertThat(third.path("status").asString()).isEqualTo("failed");
		assertThat(third.path("original_filename").asString())
			.isEqualTo("url_image_2_" + third.path("trace_id").asString().substring(0, 8) + ".jpg");
		assertThat(third.path("error").asString()).isEqualTo("Failed to download image: status code 404");
		assertThat(third.has("processed_path")).isFalse();

		List<JsonNode> messages = drain();
		assertThat(messages).extracting((message) -> message.path("trace_id").asString())
			.containsExactlyInAnyOrder(trace, second.path("trace_id").asString());
		assertThat(messages).allSatisfy((message) -> assertThat(message.path("batch_id").asString()).isEqualTo(id));

		JsonNode list = json(this.mvc.perform(get("/api/v1/batch")).andExpect(status().isOk()).andReturn());
		assertThat(list.path("total").asInt()).isOne();
		assertThat(list.path("jobs").get(0).path("job_id").asString()).isEqualTo(id);
		assertThat(list.path("jobs").get(0).path("images")).hasSize(3);
		this.mvc.perform(delete("/api/v1/batch/" + id))
			.andExpect(status().isConflict())
			.andExpect(content().json("{\"error\":\"Job already completed: " + id + "\",\"status\":409}", true));
	}

	@Test
	@WithAnonymousUser
	void cancellingStopsTheJobAndLeavesUnprocessedImagesPending() throws Exception {
		images.latency(Duration.ofMillis(300));
		StringBuilder body = new StringBuilder("{\"images\":[");
		for (int i = 0; i < 12; i++) {
			String url = images.serve("/cancel/" + i + ".png", "image/png", TestImages.png(4, 4));
			body.append((i > 0) ? "," : "").append("{\"url\":\"").append(url).append("\"}");
		}
		String id = json(this.mvc
			.perform(
					post("/api/v1/batch").contentType(MediaType.APPLICATION_JSON).content(body.append("]}").toString()))
			.andExpect(status().isCreated())
			.andReturn()).path("job_id").asString();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.imageBatches.find(id).orElseThrow().completed() >= 2);

		this.mvc.perform(delete("/api/v1/batch/" + id))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("cancelled"));

		Long execution = this.jdbc.queryForObject("SELECT e.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION e"
				+ " JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID"
				+ " WHERE p.PARAMETER_NAME = 'batchId' AND p.PARAMETER_VALUE = ?", Long.class, id);
		this.runs.awaitEnd(execution);
		assertThat(this.jdbc.queryForObject("SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?",
				String.class, execution))
			.isEqualTo("STOPPED");
		ImageBatches.ImageBatch cancelled = this.imageBatches.find(id).orElseThrow();
		assertThat(cancelled.status()).isEqualTo("cancelled");
		List<String> statuses = new ArrayList<>();
		this.imageBatches.images(id).forEach((image) -> statuses.add(image.status()));
		assertThat(statuses).doesNotContain("processing", "failed");
		long pending = statuses.stream().filter("pending"::equals).count();
		assertThat(pending).isPositive().isEqualTo(12 - cancelled.completed());
		assertThat(cancelled.completed()).isGreaterThanOrEqualTo(2);
		// Nothing more is fetched once the job stopped: beyond the images recorded, at
		// most the chunk that met the stop (2) and the images its reader had started
		// ahead (2).
		assertThat(images.totalRequests()).isLessThanOrEqualTo(cancelled.completed() + 2 + 2);
		assertThat(drain()).hasSize(cancelled.completed());
	}

	private org.springframework.test.web.servlet.ResultActions refused(String body, int status) throws Exception {
		return this.mvc.perform(post("/api/v1/batch").contentType(MediaType.APPLICATION_JSON).content(body))
			.andExpect(status().is(status));
	}

	private static JsonNode json(MvcResult result) throws Exception {
		return JsonMapper.shared().readTree(result.getResponse().getContentAsString());
	}

	private static List<JsonNode> drain() {
		List<JsonNode> messages = new ArrayList<>();
		while (true) {
			var received = sqs
				.receiveMessage((request) -> request.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
				.messages();
			if (received.isEmpty()) {
				return messages;
			}
			for (var message : received) {
				messages.add(JsonMapper.shared().readTree(message.body()));
				sqs.deleteMessage((request) -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
			}
		}
	}

	static Map<String, String> none() {
		return Map.of();
	}

}
