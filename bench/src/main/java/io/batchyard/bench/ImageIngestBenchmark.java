package io.batchyard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.batchyard.jobs.imageingest.FileNames;
import io.batchyard.jobs.imageingest.ImageBatches;
import io.batchyard.jobs.imageingest.ImageIngestJobConfiguration;
import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.ImageServer;
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
 * announced on ElasticMQ, each run on its own in-memory H2 repository. Arguments:
 * {@code [images] [latencyMs] [concurrency] [chunkSize]} (default 100 50 20 20, the job's
 * defaults).
 */
public final class ImageIngestBenchmark {

	private ImageIngestBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int images = (args.length > 0) ? Integer.parseInt(args[0]) : 100;
		int latency = (args.length > 1) ? Integer.parseInt(args[1]) : 50;
		int concurrency = (args.length > 2) ? Integer.parseInt(args[2]) : 20;
		int chunkSize = (args.length > 3) ? Integer.parseInt(args[3]) : 20;

		String sqsEndpoint = ElasticMqServer.endpoint();
		try (ImageServer server = ImageServer.start();
				SqsClient sqs = Emulators.client(SqsClient.builder(), sqsEndpoint)) {
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
			System.out.printf("%d images, %.2f MB on average, %d ms latency per request%n", images,
					bytes / (double) images / 1_000_000, latency);

			// Warm-up, not measured: the JIT, ImageIO and the clients are as warm for the
			// first measured run as for the second.
			run("warm-up", urls.subList(0, Math.min(20, urls.size())), concurrency, chunkSize, sqsEndpoint, sqs,
					queueUrl);
			Run sequential = run("sequential", urls, 1, chunkSize, sqsEndpoint, sqs, queueUrl);
			Run concurrent = run("concurrent", urls, concurrency, chunkSize, sqsEndpoint, sqs, queueUrl);
			System.out.printf(
					"imageIngestJob, one image at a time (concurrency 1, chunk %d): %d images in %.2f s"
							+ " = %.1f images/s (%d messages)%n",
					chunkSize, images, sequential.seconds, images / sequential.seconds, sequential.messages);
			System.out.printf(
					"imageIngestJob, concurrency %d, chunk %d:                   %d images in %.2f s"
							+ " = %.1f images/s (%d messages)%n",
					concurrency, chunkSize, images, concurrent.seconds, images / concurrent.seconds,
					concurrent.messages);
			System.out.printf("speed-up: %.1fx%n", sequential.seconds / concurrent.seconds);
		}
		// ElasticMQ's threads would keep the JVM alive.
		System.exit(0);
	}

	private static Run run(String name, List<String> urls, int concurrency, int chunkSize, String sqsEndpoint,
			SqsClient sqs, String queueUrl) throws Exception {
		sqs.purgeQueue((request) -> request.queueUrl(queueUrl));
		Path store = Files.createTempDirectory("bench-images-" + name);
		store.toFile().deleteOnExit();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchApplication.class).run(
				"--spring.datasource.url=jdbc:h2:mem:bench-" + name + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL",
				"--batchyard.jobs.postingest.enabled=false", "--batchyard.jobs.image-ingest.queue=" + queueUrl,
				"--batchyard.jobs.image-ingest.concurrency=" + concurrency,
				"--batchyard.jobs.image-ingest.chunk-size=" + chunkSize,
				"--batchyard.jobs.image-ingest.fetch.allowed-hosts=127.0.0.1",
				"--batchyard.jobs.image-ingest.storage.directory=" + store, "--bench.sqs=" + sqsEndpoint)) {
			ImageBatches batches = context.getBean(ImageBatches.class);
			String batch = UUID.randomUUID().toString();
			List<ImageBatches.NewImage> rows = new ArrayList<>();
			for (int i = 0; i < urls.size(); i++) {
				String trace = UUID.randomUUID().toString();
				rows.add(new ImageBatches.NewImage(i, FileNames.of("bench-" + i + ".png", true, i, trace), urls.get(i),
						null, trace, UUID.randomUUID().toString()));
			}
			batches.create(batch, rows);
			long start = System.nanoTime();
			JobExecution execution = context.getBean(JobOperator.class)
				.start(context.getBean(ImageIngestJobConfiguration.JOB_NAME, Job.class),
						new JobParametersBuilder().addString(ImageIngestJobConfiguration.BATCH_ID, batch)
							.toJobParameters());
			double seconds = (System.nanoTime() - start) / 1e9;
			ImageBatches.ImageBatch ended = batches.find(batch).orElseThrow();
			if (execution.getStatus() != BatchStatus.COMPLETED || ended.completed() != urls.size()) {
				throw new IllegalStateException(name + " run did not store every image: " + execution.getStatus() + ", "
						+ ended.completed() + " completed, " + ended.failed() + " failed");
			}
			int messages = Integer.parseInt(sqs
				.getQueueAttributes((request) -> request.queueUrl(queueUrl)
					.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
				.attributes()
				.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
			return new Run(seconds, messages);
		}
	}

	record Run(double seconds, int messages) {

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
			return Emulators.client(SqsAsyncClient.builder(), environment.getRequiredProperty("bench.sqs"));
		}

	}

}
