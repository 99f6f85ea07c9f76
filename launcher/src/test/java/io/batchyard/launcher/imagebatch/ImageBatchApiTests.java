package io.batchyard.launcher.imagebatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.batchyard.test.EmulatorClients;
import io.batchyard.jobs.imageingest.ImageBatches;
import io.batchyard.jobs.imageingest.ImageIngestJobConfiguration;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import io.batchyard.readers.blob.BlobStore;
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
		// Twice the chunk: images beyond the chunk being written are fetched at the same
		// time.
		registry.add("batchyard.jobs.image-ingest.concurrency", () -> "4");
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

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobLaunchService launchService;

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
	void onceACancelAnsweredNoFetchStartsAndNoPendingImageHasABlob() throws Exception {
		// Slow images: chunk [0, 1] is being fetched, 2 and 3 are fetched ahead at the
		// same
		// time (concurrency 4), 4 and 5 are read ahead and wait for a thread.
		images.latency(Duration.ofMillis(3000));
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
		await().atMost(Duration.ofSeconds(20)).until(() -> cancelArrivals().size() == 4);

		JsonNode answer = json(this.mvc.perform(delete("/api/v1/batch/" + id))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("cancelled"))
			.andReturn());
		long answered = System.nanoTime();

		// The answer shows the four fetches in flight; they may finish.
		List<String> answeredStatuses = new ArrayList<>();
		answer.path("images").forEach((image) -> answeredStatuses.add(image.path("status").asString()));
		assertThat(answeredStatuses.subList(0, 4)).containsOnly("processing");
		assertThat(answeredStatuses.subList(4, 12)).containsOnly("pending");
		Long execution = this.jdbc.queryForObject("SELECT e.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION e"
				+ " JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID"
				+ " WHERE p.PARAMETER_NAME = 'batchId' AND p.PARAMETER_VALUE = ?", Long.class, id);
		this.runs.awaitEnd(execution);
		assertThat(this.jdbc.queryForObject("SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?",
				String.class, execution))
			.isEqualTo("STOPPED");

		// No fetch started after the DELETE answered: images 4 and 5 got a thread when
		// the first four ended, and did not start.
		assertThat(cancelArrivals()).extracting(ImageServer.Arrival::path)
			.containsExactlyInAnyOrder("/cancel/0.png", "/cancel/1.png", "/cancel/2.png", "/cancel/3.png");
		assertThat(cancelArrivals()).allSatisfy((arrival) -> assertThat(arrival.nanoTime()).isLessThan(answered));
		// The chunk in flight finished and was recorded; the images fetched ahead were
		// discarded: every image shown pending has nothing stored.
		ImageBatches.ImageBatch cancelled = this.imageBatches.find(id).orElseThrow();
		assertThat(cancelled.status()).isEqualTo("cancelled");
		assertThat(cancelled.completed()).isEqualTo(2);
		List<ImageBatches.ImageRecord> rows = this.imageBatches.images(id);
		assertThat(rows).extracting(ImageBatches.ImageRecord::status)
			.containsExactly("completed", "completed", "pending", "pending", "pending", "pending", "pending", "pending",
					"pending", "pending", "pending", "pending");
		for (ImageBatches.ImageRecord row : rows) {
			String blob = row.traceId() + "/" + row.filename();
			assertThat(this.imageIngestBlobStore.exists(blob)).as("blob of image %d (%s)", row.index(), row.status())
				.isEqualTo(row.status().equals("completed"));
			if (row.status().equals("pending")) {
				assertThat(row.startTime()).as("start time of pending image %d", row.index()).isNull();
			}
		}
		assertThat(drain()).extracting((message) -> message.path("trace_id").asString())
			.containsExactlyInAnyOrder(rows.get(0).traceId(), rows.get(1).traceId());
		this.mvc.perform(get("/api/v1/batch/" + id))
			.andExpect(jsonPath("$.status").value("cancelled"))
			.andExpect(jsonPath("$.completed").value(2))
			.andExpect(jsonPath("$.error").doesNotExist());
	}

	@Test
	@WithAnonymousUser
	void aBatchWhoseNodeDiedShowsFailedWithTheReasonOnceItsExecutionIsRecoveredAndFollowsTheRestart() throws Exception {
		// A batch as a node that died left it: image 0 recorded, image 1 being fetched,
		// image 2 not started; its execution STARTED, claimed by no live node.
		String id = UUID.randomUUID().toString();
		List<ImageBatches.NewImage> submitted = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String url = images.serve("/crashed/" + i + ".png", "image/png", TestImages.png(6 + i, 6));
			submitted.add(new ImageBatches.NewImage(i, "c" + i + ".png", url, null, UUID.randomUUID().toString(),
					UUID.randomUUID().toString()));
		}
		this.imageBatches.create(id, submitted);
		this.imageBatches.started(id);
		this.jdbc.update(
				"UPDATE image_batch_images SET status = 'completed', processed_path = ?, start_time = ?,"
						+ " end_time = ? WHERE batch_id = ? AND idx = 0",
				submitted.get(0).traceId() + "/c0.png", java.time.OffsetDateTime.now(), java.time.OffsetDateTime.now(),
				id);
		this.jdbc.update("UPDATE image_batch_images SET status = 'processing', start_time = ? WHERE batch_id = ?"
				+ " AND idx = 1", java.time.OffsetDateTime.now(), id);
		RepositoryFixture fixture = new RepositoryFixture(this.jobRepository);
		long execution = fixture.execution(fixture.instance(ImageIngestJobConfiguration.JOB_NAME,
				new JobParametersBuilder().addString(ImageIngestJobConfiguration.BATCH_ID, id).toJobParameters()),
				BatchStatus.STARTED, null)
			.getId();
		// Running, as far as anyone can tell yet.
		this.mvc.perform(get("/api/v1/batch/" + id))
			.andExpect(jsonPath("$.status").value("processing"))
			.andExpect(jsonPath("$.error").doesNotExist());

		// Its node's heartbeat is long gone: this node's heartbeat recovers it.
		this.jdbc.update("UPDATE BATCH_JOB_EXECUTION SET CREATE_TIME = ? WHERE JOB_EXECUTION_ID = ?",
				java.sql.Timestamp.valueOf(java.time.LocalDateTime.now().minusHours(2)), execution);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.queryForObject("SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?",
					String.class, execution), "FAILED"::equals);

		String reason = "job execution " + execution + " was interrupted (the node running it stopped) and recovered"
				+ " as failed; it is not restarted automatically (launched by hand), an operator can restart it";
		JsonNode failed = json(this.mvc.perform(get("/api/v1/batch/" + id)).andExpect(status().isOk()).andReturn());
		assertThat(failed.path("status").asString()).isEqualTo("failed");
		assertThat(failed.path("error").asString()).isEqualTo("Batch processing stopped: " + reason);
		assertThat(failed.path("completed").asInt()).isOne();
		assertThat(failed.path("failed").asInt()).isEqualTo(2);
		assertThat(failed.path("progress").asDouble()).isEqualTo(100.0);
		assertThat(failed.path("completed_at").isString()).isTrue();
		JsonNode shown = failed.path("images");
		assertThat(shown.get(0).path("status").asString()).isEqualTo("completed");
		assertThat(shown.get(0).has("error")).isFalse();
		for (int i = 1; i < 3; i++) {
			assertThat(shown.get(i).path("status").asString()).isEqualTo("failed");
			assertThat(shown.get(i).path("error").asString()).isEqualTo("Not processed: " + reason);
			assertThat(shown.get(i).has("processed_path")).isFalse();
		}
		assertThat(shown.get(1).has("start_time")).isTrue();
		JsonNode listed = json(this.mvc.perform(get("/api/v1/batch")).andExpect(status().isOk()).andReturn());
		assertThat(listed.path("jobs").get(0).path("status").asString()).isEqualTo("failed");
		assertThat(listed.path("jobs").get(0).path("error").asString())
			.isEqualTo("Batch processing stopped: " + reason);
		this.mvc.perform(delete("/api/v1/batch/" + id))
			.andExpect(status().isConflict())
			.andExpect(content().json("{\"error\":\"Job already failed: " + id + "\",\"status\":409}", true));
		// The rows are left for the restart.
		assertThat(this.imageBatches.find(id).orElseThrow().status()).isEqualTo("processing");

		// An operator restarts it: the batch follows its new execution to the end.
		long restarted = this.launchService.restart(execution).getId();
		this.runs.awaitEnd(restarted);
		JsonNode done = json(this.mvc.perform(get("/api/v1/batch/" + id)).andExpect(status().isOk()).andReturn());
		assertThat(done.path("status").asString()).isEqualTo("completed");
		assertThat(done.has("error")).isFalse();
		assertThat(done.path("completed").asInt()).isEqualTo(3);
		assertThat(done.path("failed").asInt()).isZero();
		assertThat(images.requests("/crashed/0.png")).isZero();
		assertThat(images.requests("/crashed/1.png")).isOne();
		assertThat(images.requests("/crashed/2.png")).isOne();
		drain();
	}

	private static List<ImageServer.Arrival> cancelArrivals() {
		return images.arrivals().stream().filter((arrival) -> arrival.path().startsWith("/cancel/")).toList();
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
