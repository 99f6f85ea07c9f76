package io.batchyard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.batchyard.test.AwsRequestCounter;
import io.batchyard.test.EmulatorClients;
import io.batchyard.jobs.imageingest.FileNames;
import io.batchyard.jobs.imageingest.ImageBatches;
import io.batchyard.jobs.imageingest.ImageIngestJobConfiguration;
import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.ImageServer;
import io.batchyard.test.S3ProxyServer;
import io.batchyard.test.TestImages;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@code imageIngestJob} with its bounded concurrency against the same job fetching one
 * image at a time (as the original service did; only the concurrency differs, the chunk
 * size is the same), in the same run: {@code images} PNGs of about 1 MB served by a local
 * HTTP server that adds {@code latencyMs} per request, stored in a local directory and
 * announced on ElasticMQ. Two applications run side by side, each on its own in-memory H2
 * repository and warmed up by a first batch, as a running service is; the measured
 * batches alternate between them for {@code rounds} rounds (a slow moment of the machine
 * hits both) and the figures are the medians. Arguments:
 * {@code [images] [latencyMs] [concurrency] [chunkSize] [rounds] [storage]} (default 100
 * 50 20 20 5 local: the job's defaults; {@code storage} {@code s3} stores the images in
 * S3Proxy, in this process, instead of a local directory). Prints also the AWS requests
 * each side sent per 1,000 images over the measured rounds, by service and operation.
 */
public final class ImageIngestBenchmark {

	private ImageIngestBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		BenchArguments arguments = new BenchArguments("ImageIngestBenchmark",
				"Usage: ImageIngestBenchmark [images, default 100] [latency ms, default 50] [concurrency, default 20]"
						+ " [chunk size, default 20] [rounds, default 5] [storage: local or s3, default local]",
				args, 6);
		int images = arguments.count(0, "images", 100, 1);
		int latency = arguments.count(1, "latency ms", 50, 0);
		int concurrency = arguments.count(2, "concurrency", 20, 1);
		int chunkSize = arguments.count(3, "chunk size", 20, 1);
		int rounds = arguments.count(4, "rounds", 5, 1);
		String storage = arguments.text(5, "local");
		if (!storage.equals("local") && !storage.equals("s3")) {
			throw arguments.refuse("storage is local or s3, not '" + storage + "'");
		}
		boolean s3 = storage.equals("s3");

		String sqsEndpoint = ElasticMqServer.endpoint();
		try (ImageServer server = ImageServer.start();
				SqsClient sqs = EmulatorClients.client(SqsClient.builder(), sqsEndpoint)) {
			String queueUrl = sqs.createQueue((request) -> request.queueName("bench-image_upload")).queueUrl();
			// Ten distinct noise PNGs of about 1 MB (they hardly compress), served under
			// one path per image.
			List<byte[]> bodies = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				bodies.add(TestImages.noisyPng(580, 580, i));
			}
			List<String> urls = new ArrayList<>();
			long bytes = 0;
			for (int i = 0; i < images; i++) {
				byte[] body = bodies.get(i % bodies.size());
				bytes += body.length;
				urls.add(server.serve("/bench/" + i + ".png", "image/png", body));
			}
			server.latency(Duration.ofMillis(latency));
			System.out.printf("%d images, %.2f MB on average, %d ms latency per request, stored in %s%n", images,
					bytes / (double) images / 1_000_000, latency, s3 ? "S3Proxy" : "a local directory");

			try (ConfigurableApplicationContext sequential = application("sequential", 1, chunkSize, sqsEndpoint,
					queueUrl, s3);
					ConfigurableApplicationContext concurrent = application("concurrent", concurrency, chunkSize,
							sqsEndpoint, queueUrl, s3)) {
				// A whole batch each: with only 20 images the first measured
				// round still ran about 15% slower than the others (JIT).
				ingest(sequential, "sequential warm-up", urls);
				ingest(concurrent, "concurrent warm-up", urls);
				List<Double> one = new ArrayList<>();
				List<Double> many = new ArrayList<>();
				List<Double> ratios = new ArrayList<>();
				AwsRequestCounter.Counts oneRequests = new AwsRequestCounter.Counts(java.util.Map.of());
				AwsRequestCounter.Counts manyRequests = new AwsRequestCounter.Counts(java.util.Map.of());
				for (int round = 1; round <= rounds; round++) {
					Run alone = measure(sequential, "sequential", urls, sqs, queueUrl);
					Run together = measure(concurrent, "concurrent", urls, sqs, queueUrl);
					oneRequests = oneRequests.plus(alone.requests());
					manyRequests = manyRequests.plus(together.requests());
					one.add(alone.seconds());
					many.add(together.seconds());
					ratios.add(alone.seconds() / together.seconds());
					System.out.printf(
							"round %d: one at a time %.2f s (%.1f images/s, CPU %.1f ms/image), concurrency %d"
									+ " %.2f s (%.1f images/s, CPU %.1f ms/image): %.1fx%n",
							round, alone.seconds(), images / alone.seconds(), alone.cpuMillisPerImage(images),
							concurrency, together.seconds(), images / together.seconds(),
							together.cpuMillisPerImage(images), alone.seconds() / together.seconds());
				}
				System.out.printf(
						"imageIngestJob, one image at a time (concurrency 1, chunk %d): %d images in %.2f s"
								+ " = %.1f images/s (median of %d rounds, %d messages each)%n",
						chunkSize, images, median(one), images / median(one), rounds, images);
				System.out.printf(
						"imageIngestJob, concurrency %d, chunk %d:                   %d images in %.2f s"
								+ " = %.1f images/s (median of %d rounds, %d messages each)%n",
						concurrency, chunkSize, images, median(many), images / median(many), rounds, images);
				System.out.printf("speed-up: median %.1fx (rounds %.1fx to %.1fx)%n", median(ratios),
						ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
						ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
				// Counted by the SDK on every attempt sent (AwsRequestCounter), not
				// estimated.
				System.out.printf("requests one image at a time, per 1,000 images stored (%d rounds):%n%s", rounds,
						oneRequests.perThousand((long) images * rounds, "  "));
				System.out.printf("requests with concurrency %d, per 1,000 images stored (%d rounds):%n%s", concurrency,
						rounds, manyRequests.perThousand((long) images * rounds, "  "));
			}
		}
		// ElasticMQ's threads would keep the JVM alive.
		System.exit(0);
	}

	private static ConfigurableApplicationContext application(String name, int concurrency, int chunkSize,
			String sqsEndpoint, String queueUrl, boolean s3) throws Exception {
		List<String> arguments = new ArrayList<>(
				List.of("--spring.datasource.url=jdbc:h2:mem:bench-" + name + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL",
						"--batchyard.jobs.postingest.enabled=false", "--batchyard.jobs.image-ingest.queue=" + queueUrl,
						"--batchyard.jobs.image-ingest.concurrency=" + concurrency,
						"--batchyard.jobs.image-ingest.chunk-size=" + chunkSize,
						"--batchyard.jobs.image-ingest.fetch.allowed-hosts=127.0.0.1", "--bench.sqs=" + sqsEndpoint));
		if (s3) {
			String bucket = "bench-images-" + name;
			S3ProxyServer.createBucket(bucket);
			String storage = "--batchyard.jobs.image-ingest.storage.";
			arguments.addAll(List.of(storage + "type=s3", storage + "endpoint=" + S3ProxyServer.endpoint(),
					storage + "path-style=true", storage + "bucket=" + bucket,
					storage + "access-key=" + S3ProxyServer.ACCESS_KEY,
					storage + "secret-key=" + S3ProxyServer.SECRET_KEY));
		}
		else {
			Path store = Files.createTempDirectory("bench-images-" + name);
			store.toFile().deleteOnExit();
			arguments.add("--batchyard.jobs.image-ingest.storage.directory=" + store);
		}
		return new SpringApplicationBuilder(BenchApplication.class).run(arguments.toArray(String[]::new));
	}

	/**
	 * One measured batch: wall time and CPU time of the process; every image stored and
	 * announced exactly once.
	 */
	private static Run measure(ConfigurableApplicationContext context, String name, List<String> urls, SqsClient sqs,
			String queueUrl) throws Exception {
		sqs.purgeQueue((request) -> request.queueUrl(queueUrl));
		AwsRequestCounter.Counts before = AwsRequestCounter.snapshot();
		long cpuStart = cpuNanos();
		long start = System.nanoTime();
		ingest(context, name, urls);
		double seconds = (System.nanoTime() - start) / 1e9;
		double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;
		AwsRequestCounter.Counts requests = AwsRequestCounter.snapshot().since(before);
		int messages = Integer.parseInt(sqs
			.getQueueAttributes((request) -> request.queueUrl(queueUrl)
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
			.attributes()
			.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
		if (messages != urls.size()) {
			throw new IllegalStateException(name + ": " + messages + " messages for " + urls.size() + " images");
		}
		return new Run(seconds, cpuSeconds, requests);
	}

	/**
	 * One batch of the URLs through {@code imageIngestJob}; every image must be stored.
	 */
	private static void ingest(ConfigurableApplicationContext context, String name, List<String> urls)
			throws Exception {
		ImageBatches batches = context.getBean(ImageBatches.class);
		String batch = UUID.randomUUID().toString();
		List<ImageBatches.NewImage> rows = new ArrayList<>();
		for (int i = 0; i < urls.size(); i++) {
			String trace = UUID.randomUUID().toString();
			rows.add(new ImageBatches.NewImage(i, FileNames.of("bench-" + i + ".png", true, i, trace), urls.get(i),
					null, trace, UUID.randomUUID().toString()));
		}
		batches.create(batch, rows);
		JobExecution execution = context.getBean(JobOperator.class)
			.start(context.getBean(ImageIngestJobConfiguration.JOB_NAME, Job.class),
					new JobParametersBuilder().addString(ImageIngestJobConfiguration.BATCH_ID, batch)
						.toJobParameters());
		ImageBatches.ImageBatch ended = batches.find(batch).orElseThrow();
		if (execution.getStatus() != BatchStatus.COMPLETED || ended.completed() != urls.size()) {
			throw new IllegalStateException(name + " run did not store every image: " + execution.getStatus() + ", "
					+ ended.completed() + " completed, " + ended.failed() + " failed");
		}
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/** CPU time of this process (image server, ElasticMQ and job alike). */
	private static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	record Run(double seconds, double cpuSeconds, AwsRequestCounter.Counts requests) {

		double cpuMillisPerImage(int images) {
			return this.cpuSeconds * 1000 / images;
		}

	}

	/**
	 * {@code imageIngestJob} with an in-memory H2 job repository and ElasticMQ.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ImageIngestJobConfiguration.class)
	static class BenchApplication {

		@Bean(destroyMethod = "close")
		SqsAsyncClient sqsAsyncClient(org.springframework.core.env.Environment environment) {
			return EmulatorClients.client(SqsAsyncClient.builder(), environment.getRequiredProperty("bench.sqs"));
		}

	}

}
