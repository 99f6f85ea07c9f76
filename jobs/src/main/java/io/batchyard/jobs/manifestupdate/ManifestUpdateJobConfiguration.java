package io.batchyard.jobs.manifestupdate;

import java.time.Clock;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.launch.ParameterDeclaration;
import io.batchyard.jobs.launch.QueueTrigger;
import io.batchyard.jobs.launch.ValueFormat;
import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.http.HmacJwtSigner;
import io.batchyard.readers.http.HydraCollectionItemReader;
import io.batchyard.readers.http.JsonHttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.StringUtils;

/**
 * {@code manifestUpdateJob}: when the DLCS finishes a batch, updates the manifest whose
 * assets it ingested (the DLCS / iiif-presentation "batch completion" handler).
 * <ol>
 * <li>{@code recordCompletionStep}: records the completion; ends the job early when the
 * batch is unknown ({@value #UNKNOWN_BATCH}), was completed before
 * ({@value #ALREADY_COMPLETED}) or another batch of its manifest is still ingesting
 * ({@value #OTHER_BATCHES_INGESTING});</li>
 * <li>{@code fetchBatchAssetsStep} (chunks): the batch's assets from the DLCS API, paged,
 * into {@code batch_assets};</li>
 * <li>{@code fetchNamedQueryStep}: the Orchestrator's named-query manifest, each canvas
 * mapped to its asset, into {@code batch_canvases};</li>
 * <li>{@code updateCanvasPaintingsStep} (chunks): thumbnail, static size, error and
 * {@code ingesting = false} on the canvas paintings;</li>
 * <li>{@code mergeManifestStep}: merges the canvases into the staged manifest JSON,
 * publishes it, removes the staged copy, marks the batch Completed.</li>
 * </ol>
 * Every step's output is durable, so a restart resumes at the step that failed.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ManifestUpdateProperties.class)
public class ManifestUpdateJobConfiguration {

	static final String JOB_NAME = "manifestUpdateJob";

	/** Identifying: the DLCS customer. */
	public static final String CUSTOMER = "customer";

	/** Identifying: the DLCS batch id. */
	public static final String BATCH_ID = "batchId";

	/** Non-identifying: when the DLCS finished the batch. */
	public static final String FINISHED = "finished";

	public static final String UNKNOWN_BATCH = "UNKNOWN BATCH";

	public static final String ALREADY_COMPLETED = "ALREADY COMPLETED";

	public static final String OTHER_BATCHES_INGESTING = "OTHER BATCHES INGESTING";

	private static final Clock CLOCK = Clock.systemUTC();

	static String exitCode(BatchCompletion.Outcome outcome) {
		return switch (outcome) {
			case UNKNOWN_BATCH -> UNKNOWN_BATCH;
			case ALREADY_COMPLETED -> ALREADY_COMPLETED;
			case OTHER_BATCHES_INGESTING -> OTHER_BATCHES_INGESTING;
			case LAST_BATCH -> ExitStatus.COMPLETED.getExitCode();
		};
	}

	@Bean
	public JobDescription manifestUpdateJobDescription() {
		return JobDescription
			.of(JOB_NAME,
					"Updates the manifest whose assets a finished DLCS batch ingested (thumbnails, sizes, errors),"
							+ " started by the DLCS batch-completion queue")
			.parameter(ParameterDeclaration.named(CUSTOMER, Long.class)
				.required()
				.description("the DLCS customer the batch belongs to")
				.example("2"))
			.parameter(ParameterDeclaration.named(BATCH_ID, Long.class)
				.required()
				.description("the DLCS batch that finished")
				.example("1234"))
			.parameter(ParameterDeclaration.named(FINISHED, String.class)
				.notIdentifying()
				.format(ValueFormat.DATE_TIME)
				.description("when the DLCS finished the batch, as its notification says")
				.example("2026-11-23T03:30:00Z"))
			.build();
	}

	@Bean
	public Job manifestUpdateJob(JobRepository jobRepository, Step recordCompletionStep, Step fetchBatchAssetsStep,
			Step fetchNamedQueryStep, Step updateCanvasPaintingsStep, Step mergeManifestStep,
			JobDescription manifestUpdateJobDescription) {
		return new JobBuilder(JOB_NAME, jobRepository).validator(manifestUpdateJobDescription.validator())
			.start(recordCompletionStep)
			.on(ExitStatus.COMPLETED.getExitCode())
			.to(fetchBatchAssetsStep)
			.next(fetchNamedQueryStep)
			.next(updateCanvasPaintingsStep)
			.next(mergeManifestStep)
			.from(recordCompletionStep)
			.on(UNKNOWN_BATCH)
			.end(UNKNOWN_BATCH)
			.from(recordCompletionStep)
			.on(ALREADY_COMPLETED)
			.end(ALREADY_COMPLETED)
			.from(recordCompletionStep)
			.on(OTHER_BATCHES_INGESTING)
			.end(OTHER_BATCHES_INGESTING)
			.from(recordCompletionStep)
			.on("*")
			.fail()
			.end()
			.build();
	}

	@Bean
	public QueueTrigger manifestUpdateQueueTrigger(ManifestUpdateProperties properties) {
		return new QueueTrigger("batch-completion", properties.queue(),
				new BatchCompletionMessageMapper(JsonMapper.shared(), JOB_NAME), Set.of(JOB_NAME));
	}

	@Bean
	public Step recordCompletionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			RecordCompletionTasklet manifestUpdateRecordCompletionTasklet) {
		return new StepBuilder("recordCompletionStep", jobRepository)
			.tasklet(manifestUpdateRecordCompletionTasklet, transactionManager)
			.build();
	}

	@Bean
	@StepScope
	RecordCompletionTasklet manifestUpdateRecordCompletionTasklet(DataSource dataSource,
			@Value("#{jobParameters['customer']}") Long customer, @Value("#{jobParameters['batchId']}") Long batch,
			@Value("#{jobParameters['finished']}") String finished) {
		return new RecordCompletionTasklet(new BatchCompletion(new JdbcTemplate(dataSource)), customer, batch, finished,
				CLOCK);
	}

	@Bean
	public Step fetchBatchAssetsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			HydraCollectionItemReader manifestUpdateAssetReader, BatchAssetProcessor manifestUpdateAssetProcessor,
			BatchAssetWriter manifestUpdateAssetWriter, ManifestUpdateProperties properties) {
		return new StepBuilder("fetchBatchAssetsStep", jobRepository)
			.<JsonNode, BatchAsset>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(manifestUpdateAssetReader)
			.processor(manifestUpdateAssetProcessor)
			.writer(manifestUpdateAssetWriter)
			.build();
	}

	@Bean
	@StepScope
	public HydraCollectionItemReader manifestUpdateAssetReader(ManifestUpdateProperties properties,
			@Value("#{jobParameters['customer']}") Long customer, @Value("#{jobParameters['batchId']}") Long batch) {
		ManifestUpdateProperties.Dlcs dlcs = properties.dlcs();
		if (!StringUtils.hasText(dlcs.jwtKey())) {
			throw new IllegalStateException(
					"The DLCS API key is not set: set batchyard.jobs.manifest-update.dlcs.jwt-key"
							+ " (environment BATCHYARD_JOBS_MANIFEST_UPDATE_DLCS_JWT_KEY)");
		}
		HmacJwtSigner signer = HmacJwtSigner.builder()
			.base64Key(dlcs.jwtKey())
			.issuer(dlcs.jwtIssuer())
			.lifetime(dlcs.jwtLifetime())
			.build();
		String subject = "urn:dlcs:user:" + customer;
		JsonHttpClient api = client(dlcs).authorization(() -> "Bearer " + signer.sign(subject)).build();
		return HydraCollectionItemReader.builder()
			.name("manifestUpdateAssetReader")
			.client(api)
			.call("DLCS API batch assets")
			.firstPage(dlcs.apiUrl().resolve("customers/" + customer + "/queue/batches/" + batch + "/assets"))
			.build();
	}

	@Bean
	@StepScope
	BatchAssetProcessor manifestUpdateAssetProcessor(@Value("#{jobParameters['customer']}") Long customer) {
		return new BatchAssetProcessor(customer);
	}

	@Bean
	@StepScope
	BatchAssetWriter manifestUpdateAssetWriter(DataSource dataSource,
			@Value("#{jobParameters['customer']}") Long customer, @Value("#{jobParameters['batchId']}") Long batch) {
		return new BatchAssetWriter(new JdbcTemplate(dataSource), customer, batch, CLOCK);
	}

	@Bean
	public Step fetchNamedQueryStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DataSource dataSource, ManifestUpdateProperties properties) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		NamedQueryProjection projection = new NamedQueryProjection(client(properties.dlcs()).build(),
				properties.dlcs().orchestratorUrl(), properties.dlcs().namedQuery(), jdbc, JsonMapper.shared(), CLOCK);
		return new StepBuilder("fetchNamedQueryStep", jobRepository)
			.tasklet(new FetchNamedQueryTasklet(projection, new BatchCompletion(jdbc)), transactionManager)
			.build();
	}

	@Bean
	public Step updateCanvasPaintingsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcPagingItemReader<CanvasUpdate> manifestUpdateCanvasReader,
			CanvasPaintingWriter manifestUpdateCanvasWriter, ManifestUpdateProperties properties) {
		return new StepBuilder("updateCanvasPaintingsStep", jobRepository)
			.<CanvasUpdate, CanvasUpdate>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(manifestUpdateCanvasReader)
			.writer(manifestUpdateCanvasWriter)
			.build();
	}

	@Bean
	@StepScope
	public JdbcPagingItemReader<CanvasUpdate> manifestUpdateCanvasReader(DataSource dataSource,
			ManifestUpdateProperties properties, @Value("#{jobParameters['batchId']}") Long batch) throws Exception {
		return new JdbcPagingItemReaderBuilder<CanvasUpdate>().name("manifestUpdateCanvasReader")
			.dataSource(dataSource)
			.selectClause("asset_id, thumbnail, width, height, error")
			.fromClause("(SELECT c.asset_id, c.thumbnail, COALESCE(c.width, a.width) AS width,"
					+ " COALESCE(c.height, a.height) AS height, a.error FROM batch_canvases c LEFT JOIN batch_assets a"
					+ " ON a.batch_id = c.batch_id AND a.asset_id = c.asset_id WHERE c.batch_id = :batch) u")
			.sortKeys(Map.of("asset_id", Order.ASCENDING))
			.parameterValues(Map.of("batch", batch))
			.pageSize(properties.chunkSize())
			.rowMapper((rs, rowNum) -> new CanvasUpdate(rs.getString("asset_id"), rs.getString("thumbnail"),
					(Integer) rs.getObject("width", Integer.class), (Integer) rs.getObject("height", Integer.class),
					rs.getString("error")))
			.build();
	}

	@Bean
	@StepScope
	CanvasPaintingWriter manifestUpdateCanvasWriter(DataSource dataSource,
			@Value("#{jobParameters['customer']}") Long customer, @Value("#{jobParameters['batchId']}") Long batch) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		return new CanvasPaintingWriter(jdbc, customer, new BatchCompletion(jdbc).manifestOf(customer, batch), CLOCK);
	}

	@Bean
	public Step mergeManifestStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DataSource dataSource, BlobStore manifestUpdateBlobStore, ManifestUpdateProperties properties) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		ManifestPublisher publisher = new ManifestPublisher(jdbc, manifestUpdateBlobStore, JsonMapper.shared(),
				properties.presentationApiUrl());
		return new StepBuilder("mergeManifestStep", jobRepository)
			.tasklet(new MergeManifestTasklet(publisher, new BatchCompletion(jdbc), CLOCK), transactionManager)
			.build();
	}

	@Bean
	public BlobStore manifestUpdateBlobStore(ManifestUpdateProperties properties) {
		return properties.storage().blobStore();
	}

	private static JsonHttpClient.Builder client(ManifestUpdateProperties.Dlcs dlcs) {
		return JsonHttpClient.builder()
			.connectTimeout(dlcs.connectTimeout())
			.readTimeout(dlcs.readTimeout())
			.maxAttempts(dlcs.maxAttempts())
			.backOff(dlcs.backOff(), dlcs.maxBackOff());
	}

}
