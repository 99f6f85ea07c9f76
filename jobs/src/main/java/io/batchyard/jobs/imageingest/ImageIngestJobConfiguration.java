package io.batchyard.jobs.imageingest;

import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.launch.ParameterDeclaration;
import io.batchyard.jobs.launch.ValueFormat;
import io.batchyard.jobs.support.ReferenceTime;
import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.sqs.SqsBatchSender;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code imageIngestJob}: the images of one submitted batch (the image batch API),
 * fetched or decoded, checked, stored and announced on the {@code image_upload} queue.
 * <ol>
 * <li>{@code ingestImagesStep} (chunks): reads the batch's images not yet ended, in index
 * order, page by page (the reader keeps its position in the step's ExecutionContext),
 * starting each image's fetch, check and store on a bounded executor as it reads it, up
 * to {@code concurrency} images ahead; the writer waits for its chunk's images and
 * records every outcome on its image row in the chunk's transaction. A failed image is an
 * outcome, not a step failure.</li>
 * <li>{@code completeBatchStep}: ends the batch {@code completed}, or {@code failed} when
 * every image failed, with counts taken from the rows.</li>
 * </ol>
 * Everything the step needs is in the database and blob storage, so a restart (after a
 * crash, on any node) resumes after the last committed chunk, and an image stored by the
 * interrupted chunk is not fetched again.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ImageIngestProperties.class)
public class ImageIngestJobConfiguration {

	public static final String JOB_NAME = "imageIngestJob";

	/** Identifying: the batch id (the API's {@code job_id}). */
	public static final String BATCH_ID = "batchId";

	public static final String PURGE_JOB_NAME = "imageBatchPurgeJob";

	private static final Clock CLOCK = Clock.systemUTC();

	@Bean
	public JobDescription imageIngestJobDescription() {
		return JobDescription
			.of(JOB_NAME,
					"Fetches or decodes, checks, stores and announces the images of one batch submitted through"
							+ " the image batch API, which launches it")
			.parameter(ParameterDeclaration.named(BATCH_ID, String.class)
				.required()
				.format(ValueFormat.UUID)
				.description("the image batch (the API's job_id) whose images to ingest")
				.example("6f1c2a9e-8d4b-4e7a-b3c5-0d9e8f7a6b5c"))
			.build();
	}

	@Bean
	public Job imageIngestJob(JobRepository jobRepository, Step ingestImagesStep, Step completeBatchStep,
			JobDescription imageIngestJobDescription) {
		return new JobBuilder(JOB_NAME, jobRepository).validator(imageIngestJobDescription.validator())
			.start(ingestImagesStep)
			.next(completeBatchStep)
			.build();
	}

	@Bean
	public ImageBatches imageBatches(DataSource dataSource,
			@Value("${spring.batch.jdbc.table-prefix:BATCH_}") String batchTablePrefix) {
		return new ImageBatches(new JdbcTemplate(dataSource), CLOCK, batchTablePrefix);
	}

	@Bean
	public Step ingestImagesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ImageReadAheadReader imageIngestImageReader, ImageIngestWriter imageIngestWriter,
			ImageIngestProperties properties, ImageBatches imageBatches) {
		return new StepBuilder("ingestImagesStep", jobRepository)
			.<InFlightImage, InFlightImage>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(imageIngestImageReader)
			.writer(imageIngestWriter)
			.listener(new ImageBatchStepListener(imageBatches))
			.build();
	}

	/**
	 * The batch's images that have not ended, in index order, each started as it is read
	 * (unless the batch was cancelled or the execution is stopping), up to
	 * {@code concurrency} ahead of the chunk being written.
	 */
	@Bean
	@StepScope
	public ImageReadAheadReader imageIngestImageReader(ImageIngestProperties properties, BlobStore imageIngestBlobStore,
			ImageBatches imageBatches, ThreadPoolTaskExecutor imageIngestExecutor,
			@Value("#{jobParameters['batchId']}") String batchId,
			@Value("#{stepExecution}") StepExecution stepExecution) {
		ImageIngestProperties.Fetch fetch = properties.fetch();
		ImageDownloader downloader = new ImageDownloader(new UrlPolicy(fetch.allowedHosts()), fetch.connectTimeout(),
				fetch.readTimeout(), fetch.maxRedirects(), fetch.maxBytes().toBytes());
		ImageIngester ingester = new ImageIngester(downloader, new ImageInspector(properties.maxPixels()),
				imageIngestBlobStore, imageBatches, stepExecution.getJobExecutionId());
		return new ImageReadAheadReader(imageBatches, batchId, properties.chunkSize(), properties.concurrency(),
				ingester::ingest, imageIngestExecutor, ingester::discard,
				() -> stepExecution.getStatus() == BatchStatus.STOPPED);
	}

	@Bean
	@StepScope
	public ImageIngestWriter imageIngestWriter(ImageIngestProperties properties, ImageBatches imageBatches,
			SqsAsyncClient sqsAsyncClient) {
		SqsBatchSender sender = SqsBatchSender.builder()
			.client(sqsAsyncClient)
			.maxAttempts(properties.sendAttempts())
			.initialBackOff(properties.sendBackOff())
			.build();
		return new ImageIngestWriter(imageBatches, new ImageUploadMessages(JsonMapper.shared(), CLOCK), sender,
				queueUrl(sqsAsyncClient, properties.queue()));
	}

	/**
	 * The threads images are fetched and stored on: as many as
	 * {@code batchyard.jobs.image-ingest.concurrency}, shared by every running batch, so
	 * a node never fetches more images at once. Log lines keep the job's context.
	 */
	@Bean
	public ThreadPoolTaskExecutor imageIngestExecutor(ImageIngestProperties properties) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(properties.concurrency());
		executor.setMaxPoolSize(properties.concurrency());
		executor.setThreadNamePrefix("image-ingest-");
		executor.setWaitForTasksToCompleteOnShutdown(true);
		executor.setTaskDecorator((task) -> {
			Map<String, String> context = MDC.getCopyOfContextMap();
			return () -> {
				if (context != null) {
					MDC.setContextMap(context);
				}
				try {
					task.run();
				}
				finally {
					MDC.clear();
				}
			};
		});
		return executor;
	}

	@Bean
	public Step completeBatchStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			CompleteBatchTasklet imageIngestCompleteTasklet) {
		return new StepBuilder("completeBatchStep", jobRepository)
			.tasklet(imageIngestCompleteTasklet, transactionManager)
			.build();
	}

	@Bean
	@StepScope
	CompleteBatchTasklet imageIngestCompleteTasklet(ImageBatches imageBatches, BlobStore imageIngestBlobStore,
			@Value("#{jobParameters['batchId']}") String batchId) {
		return new CompleteBatchTasklet(imageBatches, imageIngestBlobStore, batchId);
	}

	/**
	 * {@code imageBatchPurgeJob}: deletes the batches (and their image rows) that ended
	 * more than {@code retention} before the reference time; the stored images stay.
	 * Scheduled like the other sweeps, identified by the fire time.
	 */
	@Bean
	public JobDescription imageBatchPurgeJobDescription() {
		return ReferenceTime
			.declare(JobDescription.of(PURGE_JOB_NAME,
					"Deletes the image batches (and their image rows) that ended more than"
							+ " batchyard.jobs.image-ingest.retention before the reference time; stored images stay"))
			.build();
	}

	@Bean
	public Job imageBatchPurgeJob(JobRepository jobRepository, Step purgeImageBatchesStep,
			JobDescription imageBatchPurgeJobDescription) {
		return new JobBuilder(PURGE_JOB_NAME, jobRepository).validator(imageBatchPurgeJobDescription.validator())
			.start(purgeImageBatchesStep)
			.build();
	}

	@Bean
	public Step purgeImageBatchesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ImageBatches imageBatches, BlobStore imageIngestBlobStore, ImageIngestProperties properties) {
		return new StepBuilder("purgeImageBatchesStep", jobRepository)
			.tasklet(new ImageBatchPurgeTasklet(imageBatches, imageIngestBlobStore, properties.retention()),
					transactionManager)
			.build();
	}

	@Bean
	public BlobStore imageIngestBlobStore(ImageIngestProperties properties) {
		return properties.storage().blobStore();
	}

	/**
	 * The queue's URL: as configured when it is one, otherwise looked up once by name.
	 */
	static Supplier<String> queueUrl(SqsAsyncClient sqs, String queue) {
		if (queue.startsWith("http://") || queue.startsWith("https://")) {
			return () -> queue;
		}
		return new Supplier<>() {

			private volatile String url;

			@Override
			public String get() {
				if (this.url == null) {
					this.url = sqs.getQueueUrl((request) -> request.queueName(queue)).join().queueUrl();
				}
				return this.url;
			}

		};
	}

}
