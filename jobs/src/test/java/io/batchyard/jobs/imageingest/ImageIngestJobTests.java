package io.batchyard.jobs.imageingest;

import io.batchyard.jobs.support.Steps;
import io.batchyard.test.AwsRequestCounter;
import io.batchyard.test.RepositoryFixture;
import io.batchyard.test.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.batchyard.readers.blob.BlobStore;
import io.batchyard.test.S3ProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code imageIngestJob} end to end on one database (the subclasses): images served by
 * WireMock on 127.0.0.1, stored in a real S3-protocol server (S3Proxy), announced on
 * ElasticMQ; chunks of 2 so a batch spans several transactions.
 */
@SpringBootTest(classes = ImageIngestTestApplication.class)
@SpringBatchTest
abstract class ImageIngestJobTests {

	static final String BUCKET = "images-" + UUID.randomUUID().toString().substring(0, 8);

	static final String QUEUE = "image_upload-" + UUID.randomUUID().toString().substring(0, 8);

	@RegisterExtension
	static WireMockExtension images = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	static SqsClient sqs;

	static String queueUrl;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("batchyard.jobs.image-ingest.chunk-size", () -> "2");
		registry.add("batchyard.jobs.image-ingest.concurrency", () -> "4");
		registry.add("batchyard.jobs.image-ingest.queue", () -> QUEUE);
		registry.add("batchyard.jobs.image-ingest.fetch.allowed-hosts", () -> "127.0.0.1");
		registry.add("batchyard.jobs.image-ingest.fetch.read-timeout", () -> "5s");
		S3ProxyServer.registerStorage(registry, "batchyard.jobs.image-ingest.storage", BUCKET);
	}

	@Autowired
	JobOperatorTestUtils jobUtils;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	Job imageIngestJob;

	@Autowired
	Job imageBatchPurgeJob;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	BlobStore imageIngestBlobStore;

	@Autowired
	ImageBatches imageBatches;

	@BeforeAll
	static void servers() {
		try (var s3 = S3ProxyServer.newClient()) {
			if (s3.listBuckets().buckets().stream().noneMatch((bucket) -> bucket.name().equals(BUCKET))) {
				S3ProxyServer.createBucket(BUCKET);
			}
		}
		if (sqs == null) {
			sqs = ImageIngestTestApplication.sqs();
			queueUrl = sqs.createQueue((request) -> request.queueName(QUEUE)).queueUrl();
		}
	}

	@BeforeEach
	void setUp() {
		this.jobUtils.setJob(this.imageIngestJob);
		sqs.purgeQueue((request) -> request.queueUrl(queueUrl));
	}

	@AfterEach
	void cleanUp() {
		this.repositoryUtils.removeJobExecutions();
		this.jdbc.update("DELETE FROM image_batches");
	}

	abstract void injectFault(int index);

	abstract void removeFault(int index);

	@Test
	void storesAndAnnouncesGoodImagesAndRecordsWhyTheOthersFailed() throws Exception {
		byte[] png = TestImages.png(40, 30);
		byte[] jpeg = TestImages.jpeg(64, 48);
		byte[] second = TestImages.jpeg(10, 10);
		serve("/a.png", "image/png", png);
		serve("/b.jpg", "image/jpeg", second);
		images.stubFor(get("/missing.jpg").willReturn(aResponse().withStatus(404)));
		serve("/page.jpg", "text/html", "<html></html>".getBytes(StandardCharsets.UTF_8));
		serve("/anim.gif", "image/gif", "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1));
		String batch = UUID.randomUUID().toString();
		List<ImageBatches.NewImage> submitted = new ArrayList<>();
		submitted.add(url(batch, 0, "a.png", "/a.png"));
		submitted
			.add(base64(batch, 1, "b64.jpg", "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg)));
		submitted.add(url(batch, 2, "missing.jpg", "/missing.jpg"));
		submitted.add(url(batch, 3, "page.jpg", "/page.jpg"));
		submitted.add(url(batch, 4, "anim.gif", "/anim.gif"));
		submitted.add(base64(batch, 5, "broken.png", "data:image/png;base64,@@not base64@@"));
		submitted.add(url(batch, 6, "b.jpg", "/b.jpg"));
		this.imageBatches.create(batch, submitted);

		JobExecution execution = this.jobUtils.startJob(parameters(batch));

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		StepExecution step = Steps.of(execution, "ingestImagesStep");
		assertThat(step.getReadCount()).isEqualTo(7);
		assertThat(step.getWriteCount()).isEqualTo(7);
		assertThat(step.getCommitCount()).isEqualTo(4);
		assertThat(Steps.of(execution, "completeBatchStep").getExitStatus().getExitDescription())
			.isEqualTo("Batch " + batch + " completed: 3 completed, 4 failed of 7");
		ImageBatches.ImageBatch ended = this.imageBatches.find(batch).orElseThrow();
		assertThat(ended.status()).isEqualTo("completed");
		assertThat(ended.completed()).isEqualTo(3);
		assertThat(ended.failed()).isEqualTo(4);
		assertThat(ended.progress()).isEqualTo(100.0);
		assertThat(ended.completedAt()).isNotNull();
		List<ImageBatches.ImageRecord> rows = this.imageBatches.images(batch);
		assertThat(rows).extracting(ImageBatches.ImageRecord::status)
			.containsExactly("completed", "completed", "failed", "failed", "failed", "failed", "completed");
		assertThat(rows).extracting(ImageBatches.ImageRecord::error)
			.containsExactly(null, null, "Failed to download image: status code 404",
					"Failed to download image: content type 'text/html' is not an image", "Unsupported image format",
					"Invalid base64 image data: Illegal base64 character 40", null);
		assertThat(rows).allSatisfy((row) -> assertThat(row.startTime()).isNotNull());
		assertThat(rows).allSatisfy((row) -> assertThat(row.endTime()).isNotNull());
		assertThat(rows.get(0).processedPath()).isEqualTo(submitted.get(0).traceId() + "/a.png");
		assertThat(rows.get(2).processedPath()).isNull();
		assertThat(this.imageIngestBlobStore.read(rows.get(0).processedPath())).isEqualTo(png);
		assertThat(this.imageIngestBlobStore.read(rows.get(1).processedPath())).isEqualTo(jpeg);
		assertThat(this.imageIngestBlobStore.read(rows.get(6).processedPath())).isEqualTo(second);
		assertThat(this.imageIngestBlobStore.exists(submitted.get(2).traceId() + "/missing.jpg")).isFalse();
		// The base64 payloads are gone once the batch ended.
		assertThat(this.imageIngestBlobStore.exists(submitted.get(1).sourceKey())).isFalse();

		Map<String, JsonNode> messages = drain();
		assertThat(messages).containsOnlyKeys(submitted.get(0).traceId(), submitted.get(1).traceId(),
				submitted.get(6).traceId());
		JsonNode first = messages.get(submitted.get(0).traceId());
		assertThat(first.propertyNames()).containsExactly("timestamp", "trace_id", "group_id", "telegram_username",
				"original_filename", "original_path", "telegram_id", "batch_id");
		assertThat(first.path("group_id").asString()).isEqualTo(submitted.get(0).groupId());
		assertThat(first.path("original_filename").asString()).isEqualTo("a.png");
		assertThat(first.path("original_path").asString()).isEqualTo(rows.get(0).processedPath());
		assertThat(first.path("telegram_username").asString()).isEqualTo("batch_" + batch);
		assertThat(first.path("telegram_id").asInt()).isZero();
		assertThat(first.path("batch_id").asString()).isEqualTo(batch);
		for (String path : List.of("/a.png", "/b.jpg", "/missing.jpg", "/page.jpg", "/anim.gif")) {
			assertThat(images.findAll(getRequestedFor(urlPathEqualTo(path)))).as(path).hasSize(1);
		}
	}

	@Test
	void aBatchWhoseEveryImageFailedEndsFailed() throws Exception {
		images.stubFor(get("/gone.jpg").willReturn(aResponse().withStatus(410)));
		String batch = UUID.randomUUID().toString();
		this.imageBatches.create(batch, List.of(url(batch, 0, "x.jpg", "/gone.jpg"),
				url(batch, 1, "y.jpg", "/gone.jpg"), url(batch, 2, "z.jpg", "/gone.jpg")));

		JobExecution execution = this.jobUtils.startJob(parameters(batch));

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		ImageBatches.ImageBatch ended = this.imageBatches.find(batch).orElseThrow();
		assertThat(ended.status()).isEqualTo("failed");
		assertThat(ended.failed()).isEqualTo(3);
		assertThat(ended.completed()).isZero();
		assertThat(drain()).isEmpty();
	}

	@Test
	void restartAfterADatabaseFaultFetchesNoStoredImageAgainAndCountsEachImageOnce() throws Exception {
		String batch = UUID.randomUUID().toString();
		List<ImageBatches.NewImage> submitted = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			serve("/r" + i + ".png", "image/png", TestImages.png(8 + i, 8));
			submitted.add(url(batch, i, "r" + i + ".png", "/r" + i + ".png"));
		}
		this.imageBatches.create(batch, submitted);
		injectFault(3);

		JobExecution first = this.jobUtils.startJob(parameters(batch));

		assertThat(first.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(Steps.of(first, "ingestImagesStep").getExitStatus().getExitDescription())
			.contains("Injected fault: cannot record image 3");
		assertThat(Steps.of(first, "ingestImagesStep").getWriteCount()).isEqualTo(2);
		assertThat(this.imageBatches.images(batch)).extracting(ImageBatches.ImageRecord::status)
			.containsExactly("completed", "completed", "processing", "processing", "processing", "processing");
		assertThat(this.imageBatches.find(batch).orElseThrow().status()).isEqualTo("processing");
		// The failed chunk stored its images before its transaction rolled back, and the
		// reader had started the next two (concurrency 4, chunk 2): stored, not recorded.
		for (int i = 2; i < 6; i++) {
			assertThat(this.imageIngestBlobStore.exists(submitted.get(i).traceId() + "/r" + i + ".png")).isTrue();
		}
		Map<String, JsonNode> firstMessages = drain();
		assertThat(firstMessages).containsOnlyKeys(submitted.get(0).traceId(), submitted.get(1).traceId());

		removeFault(3);
		JobExecution second = this.jobUtils.startJob(parameters(batch));

		assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(second.getJobInstanceId()).isEqualTo(first.getJobInstanceId());
		assertThat(this.jobRepository.getJobExecutions(this.jobRepository.getJobInstance(first.getJobInstanceId())))
			.hasSize(2);
		StepExecution resumed = Steps.of(second, "ingestImagesStep");
		assertThat(resumed.getReadCount()).isEqualTo(4);
		assertThat(resumed.getWriteCount()).isEqualTo(4);
		ImageBatches.ImageBatch ended = this.imageBatches.find(batch).orElseThrow();
		assertThat(ended.status()).isEqualTo("completed");
		assertThat(ended.completed()).isEqualTo(6);
		assertThat(ended.failed()).isZero();
		for (int i = 0; i < 6; i++) {
			assertThat(images.findAll(getRequestedFor(urlPathEqualTo("/r" + i + ".png")))).as("requests of image " + i)
				.hasSize(1);
			assertThat(this.imageIngestBlobStore.exists(submitted.get(i).traceId() + "/r" + i + ".png")).isTrue();
		}
		Map<String, JsonNode> secondMessages = drain();
		assertThat(secondMessages).containsOnlyKeys(submitted.subList(2, 6)
			.stream()
			.map(ImageBatches.NewImage::traceId)
			.collect(Collectors.toList())
			.toArray(String[]::new));
	}

	@Test
	void aFreshBatchCostsOneS3RequestPerStoredImage() throws Exception {
		String batch = UUID.randomUUID().toString();
		List<ImageBatches.NewImage> submitted = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			serve("/f" + i + ".png", "image/png", TestImages.png(6 + i, 6));
			submitted.add(url(batch, i, "f" + i + ".png", "/f" + i + ".png"));
		}
		this.imageBatches.create(batch, submitted);
		AwsRequestCounter.Counts before = AwsRequestCounter.snapshot();

		JobExecution execution = this.jobUtils.startJob(parameters(batch));

		AwsRequestCounter.Counts s3 = AwsRequestCounter.snapshot().since(before);
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.imageBatches.find(batch).orElseThrow().completed()).isEqualTo(5);
		// Every image was pending: none can have a blob, so none is asked about (HEAD).
		assertThat(s3.of("S3", "PutObject")).as(s3.toString()).isEqualTo(5);
		assertThat(s3.of("S3")).as(s3.toString()).isEqualTo(5);
		for (int i = 0; i < 5; i++) {
			assertThat(this.imageIngestBlobStore.exists(submitted.get(i).traceId() + "/f" + i + ".png")).isTrue();
		}
		assertThat(drain()).hasSize(5);
	}

	@Test
	void aRestartAsksTheStoreOnlyAboutImagesLeftProcessing() throws Exception {
		String batch = UUID.randomUUID().toString();
		List<ImageBatches.NewImage> submitted = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			serve("/h" + i + ".png", "image/png", TestImages.png(8 + i, 9));
			submitted.add(url(batch, i, "h" + i + ".png", "/h" + i + ".png"));
		}
		this.imageBatches.create(batch, submitted);
		injectFault(3);
		AwsRequestCounter.Counts start = AwsRequestCounter.snapshot();

		JobExecution first = this.jobUtils.startJob(parameters(batch));

		AwsRequestCounter.Counts firstRun = AwsRequestCounter.snapshot().since(start);
		assertThat(first.getStatus()).isEqualTo(BatchStatus.FAILED);
		List<String> statuses = this.imageBatches.images(batch).stream().map(ImageBatches.ImageRecord::status).toList();
		long leftProcessing = statuses.stream().filter("processing"::equals).count();
		long leftPending = statuses.stream().filter("pending"::equals).count();
		assertThat(statuses.subList(0, 2)).containsOnly("completed");
		// The failed chunk's two images and those started ahead of it (at most the
		// concurrency, 4) were stored; the reader never reached the last ones.
		assertThat(leftProcessing).as(statuses.toString()).isBetween(2L, 6L);
		assertThat(leftPending).as(statuses.toString()).isPositive();
		assertThat(leftProcessing + leftPending).isEqualTo(10);
		assertThat(firstRun.of("S3", "HeadObject")).as(firstRun.toString()).isZero();
		assertThat(firstRun.of("S3", "PutObject")).as(firstRun.toString()).isEqualTo(2 + leftProcessing);
		removeFault(3);
		AwsRequestCounter.Counts restart = AwsRequestCounter.snapshot();

		JobExecution second = this.jobUtils.startJob(parameters(batch));

		AwsRequestCounter.Counts secondRun = AwsRequestCounter.snapshot().since(restart);
		assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.imageBatches.find(batch).orElseThrow().completed()).isEqualTo(12);
		// The images left processing were stored before the fault: asked about, found,
		// not fetched or stored again. The pending ones are fetched and stored unasked.
		assertThat(secondRun.of("S3", "HeadObject")).as(secondRun.toString()).isEqualTo(leftProcessing);
		assertThat(secondRun.of("S3", "PutObject")).as(secondRun.toString()).isEqualTo(leftPending);
		assertThat(secondRun.of("S3")).as(secondRun.toString()).isEqualTo(10);
		for (int i = 0; i < 12; i++) {
			assertThat(images.findAll(getRequestedFor(urlPathEqualTo("/h" + i + ".png")))).as("requests of image " + i)
				.hasSize(1);
			assertThat(this.imageIngestBlobStore.exists(submitted.get(i).traceId() + "/h" + i + ".png")).isTrue();
		}
	}

	@Test
	void aReplayedChunkChangesNoEndedImage() throws Exception {
		String batch = UUID.randomUUID().toString();
		serve("/once.png", "image/png", TestImages.png(5, 5));
		List<ImageBatches.NewImage> submitted = List.of(url(batch, 0, "once.png", "/once.png"));
		this.imageBatches.create(batch, submitted);
		assertThat(this.jobUtils.startJob(parameters(batch)).getStatus()).isEqualTo(BatchStatus.COMPLETED);
		ImageBatches.ImageRecord ended = this.imageBatches.images(batch).get(0);
		ImageRow row = new ImageRow(batch, 0, "once.png", "http://127.0.0.1/once.png", null, submitted.get(0).traceId(),
				submitted.get(0).groupId());

		assertThat(this.imageBatches.imageEnded(batch, ImageOutcome.failed(row, "late redelivery"))).isFalse();
		assertThat(this.imageBatches.imageEnded(batch, ImageOutcome.completed(row))).isFalse();

		assertThat(this.imageBatches.images(batch).get(0)).isEqualTo(ended);
		assertThat(this.imageBatches.find(batch).orElseThrow().completed()).isOne();
	}

	@Test
	void thePurgeDeletesBatchesThatEndedBeforeTheRetentionAndKeepsTheOthers() throws Exception {
		java.time.Instant asOf = java.time.Instant.parse("2026-11-30T12:00:00Z");
		String old = UUID.randomUUID().toString();
		String recent = UUID.randomUUID().toString();
		String running = UUID.randomUUID().toString();
		for (String batch : List.of(old, recent, running)) {
			this.imageBatches.create(batch,
					List.of(url(batch, 0, "p.png", "/p.png"), url(batch, 1, "q.png", "/q.png")));
		}
		String payload = "image-batches/" + old + "/9.b64";
		this.imageIngestBlobStore.write(payload, "AAAA".getBytes(StandardCharsets.US_ASCII));
		this.jdbc.update(
				"UPDATE image_batch_images SET source_url = NULL, source_key = ? WHERE batch_id = ? AND idx = 1",
				payload, old);
		this.jdbc.update("UPDATE image_batches SET status = 'completed', completed_at = ? WHERE id = ?",
				asOf.minus(java.time.Duration.ofHours(25)).atOffset(java.time.ZoneOffset.UTC), old);
		this.jdbc.update("UPDATE image_batches SET status = 'cancelled', completed_at = ? WHERE id = ?",
				asOf.minus(java.time.Duration.ofHours(23)).atOffset(java.time.ZoneOffset.UTC), recent);
		this.jdbc.update("UPDATE image_batches SET status = 'processing' WHERE id = ?", running);
		this.jobUtils.setJob(this.imageBatchPurgeJob);

		JobExecution execution = this.jobUtils
			.startJob(new JobParametersBuilder().addString("asOf", asOf.toString()).toJobParameters());

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(Steps.of(execution, "purgeImageBatchesStep").getExitStatus().getExitDescription())
			.isEqualTo("Deleted 1 image batch(es) that ended before 2026-11-29T12:00:00Z");
		assertThat(this.imageBatches.find(old)).isEmpty();
		assertThat(this.imageBatches.images(old)).isEmpty();
		assertThat(this.imageIngestBlobStore.exists(payload)).isFalse();
		assertThat(this.imageBatches.find(recent)).isPresent();
		assertThat(this.imageBatches.find(running)).isPresent();
		assertThat(this.imageBatches.images(running)).hasSize(2);
	}

	@Test
	void anImageStartsOnlyWhileItsBatchIsProcessingAndItsExecutionRunsAndADiscardedOneLeavesNothingStored() {
		String batch = UUID.randomUUID().toString();
		List<ImageBatches.NewImage> submitted = List.of(url(batch, 0, "s0.png", "/s0.png"),
				url(batch, 1, "s1.png", "/s1.png"), url(batch, 2, "s2.png", "/s2.png"));
		this.imageBatches.create(batch, submitted);
		RepositoryFixture fixture = new RepositoryFixture(this.jobRepository);
		JobExecution execution = fixture.execution(
				fixture.instance(ImageIngestJobConfiguration.JOB_NAME, parameters(batch)), BatchStatus.STARTED, null);
		long id = execution.getId();

		assertThat(this.imageBatches.startImage(batch, 0, id)).as("batch still pending").isFalse();
		this.imageBatches.started(batch);
		assertThat(this.imageBatches.startImage(batch, 0, id)).isTrue();
		java.time.Instant firstStart = this.imageBatches.images(batch).get(0).startTime();
		assertThat(firstStart).isNotNull();
		// A restart starts an image left processing again, keeping its first start time.
		assertThat(this.imageBatches.startImage(batch, 0, id)).isTrue();
		assertThat(this.imageBatches.images(batch).get(0).startTime()).isEqualTo(firstStart);

		execution.setStatus(BatchStatus.STOPPING);
		this.jobRepository.update(execution);
		assertThat(this.imageBatches.startImage(batch, 1, id)).as("execution stopping").isFalse();
		execution.setStatus(BatchStatus.STARTED);
		this.jobRepository.update(execution);
		assertThat(this.imageBatches.startImage(batch, 1, id + 1000)).as("another execution").isFalse();
		assertThat(this.imageBatches.startImage(batch, 1, id)).isTrue();
		assertThat(this.imageBatches.cancel(batch)).isTrue();
		assertThat(this.imageBatches.startImage(batch, 2, id)).as("batch cancelled").isFalse();
		assertThat(this.imageBatches.images(batch)).extracting(ImageBatches.ImageRecord::status)
			.containsExactly("processing", "processing", "pending");

		String stored = submitted.get(1).traceId() + "/s1.png";
		this.imageIngestBlobStore.write(stored, TestImages.png(2, 2));
		ImageIngester ingester = new ImageIngester(null, null, this.imageIngestBlobStore, this.imageBatches, id);
		ImageRow row = new ImageRow(batch, 1, "s1.png", submitted.get(1).sourceUrl(), null, submitted.get(1).traceId(),
				submitted.get(1).groupId());

		assertThat(ingester.discard(row)).isTrue();

		assertThat(this.imageIngestBlobStore.exists(stored)).isFalse();
		ImageBatches.ImageRecord discarded = this.imageBatches.images(batch).get(1);
		assertThat(discarded.status()).isEqualTo("pending");
		assertThat(discarded.startTime()).isNull();
		assertThat(ingester.ingest(row)).as("not started: the batch is cancelled").isNull();
		assertThat(images.findAll(getRequestedFor(urlPathEqualTo("/s1.png")))).isEmpty();
	}

	static JobParameters parameters(String batch) {
		return new JobParametersBuilder().addString(ImageIngestJobConfiguration.BATCH_ID, batch).toJobParameters();
	}

	static void serve(String path, String contentType, byte[] body) {
		images.stubFor(get(path).willReturn(aResponse().withHeader("Content-Type", contentType).withBody(body)));
	}

	static ImageBatches.NewImage url(String batch, int index, String name, String path) {
		String trace = UUID.randomUUID().toString();
		return new ImageBatches.NewImage(index, name, "http://127.0.0.1:" + images.getPort() + path, null, trace,
				UUID.randomUUID().toString());
	}

	ImageBatches.NewImage base64(String batch, int index, String name, String payload) {
		String key = "image-batches/" + batch + "/" + index + ".b64";
		this.imageIngestBlobStore.write(key, payload.getBytes(StandardCharsets.US_ASCII));
		return new ImageBatches.NewImage(index, name, null, key, UUID.randomUUID().toString(),
				UUID.randomUUID().toString());
	}

	static Map<String, JsonNode> drain() {
		Map<String, JsonNode> messages = new java.util.LinkedHashMap<>();
		while (true) {
			List<Message> received = sqs
				.receiveMessage((request) -> request.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
				.messages();
			if (received.isEmpty()) {
				return messages;
			}
			for (Message message : received) {
				JsonNode body = JsonMapper.shared().readTree(message.body());
				assertThat(messages.put(body.path("trace_id").asString(), body)).as("duplicate message").isNull();
				sqs.deleteMessage((request) -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
			}
		}
	}

}
