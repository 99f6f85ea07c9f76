package io.batchyard.jobs.enhancement;

import java.io.InputStream;
import java.time.Clock;
import java.util.UUID;

import javax.sql.DataSource;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.launch.ParameterDeclaration;
import io.batchyard.jobs.launch.ValueFormat;
import io.batchyard.jobs.partition.GridSizeCheck;
import io.batchyard.jobs.partition.JsonlRangePartitioner;
import io.batchyard.jobs.partition.PartitionSteps;
import io.batchyard.jobs.partition.PartitioningConfiguration;
import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.blob.NoSuchBlobException;
import io.batchyard.readers.jsonl.JsonlItemReader;
import io.batchyard.readers.jsonl.JsonlLine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.support.DatabaseType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code enhancementImportJob}: validates and imports a robot's result file for one robot
 * enhancement batch (identifying parameter {@value #BATCH_ID}), DESTINY's
 * {@code validate_and_import_robot_enhancement_batch_result} as a restartable job.
 * <ol>
 * <li>{@code importEnhancementsStep} (chunks): the result JSONL from blob storage, line
 * by line (position in the ExecutionContext), parsed and validated; validation entries,
 * enhancements and pending-enhancement outcomes written in the chunk transaction;</li>
 * <li>{@code reportMissingReferencesStep}: an entry for each requested reference the file
 * never named;</li>
 * <li>{@code writeValidationReportStep}: the report from the entries to blob storage,
 * then the batch's and its requests' statuses.</li>
 * </ol>
 * Bad lines are report entries, never failures; only the database or the storage failing
 * after the retries fails the job, and {@link ImportFailureListener} says which. Each
 * execution records itself on its batch as it starts ({@link ImportExecutionRecorder}).
 * <p>
 * With {@code batchyard.jobs.enhancement-import.grid-size} above 1,
 * {@code importEnhancementsStep} is a partitioned step: {@link JsonlRangePartitioner}
 * splits the result file into byte ranges aligned to line starts and each partition runs
 * {@code importEnhancementRangeStep} on its range ({@link EnhancementCandidateWriter}
 * writes the entries that no other line can change and stages the others), then
 * {@code resolveEnhancementEntriesStep} decides the staged lines by line number
 * ({@link ResolveEnhancementEntriesTasklet}). The entries, enhancements, outcomes and the
 * report are those of the unpartitioned job, whatever the order the partitions ran in.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ EnhancementImportProperties.class, EnhancementsProperties.class })
@Import(PartitioningConfiguration.class)
public class EnhancementImportJobConfiguration {

	static final String JOB_NAME = "enhancementImportJob";

	static final String STEP_NAME = "importEnhancementsStep";

	static final String RANGE_STEP_NAME = "importEnhancementRangeStep";

	static final String RESOLVE_STEP_NAME = "resolveEnhancementEntriesStep";

	/**
	 * The reader's name in both import steps: its keys in their step execution contexts.
	 */
	static final String READER_NAME = "enhancementImportResultReader";

	static final String GRID_SIZE_PROPERTY = "batchyard.jobs.enhancement-import.grid-size";

	/** Identifying: the robot enhancement batch id (a UUID). */
	public static final String BATCH_ID = "batchId";

	private static final Log logger = LogFactory.getLog(EnhancementImportJobConfiguration.class);

	private static final Clock CLOCK = Clock.systemUTC();

	static JsonMapper resultMapper() {
		return JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
	}

	@Bean
	public JobDescription enhancementImportJobDescription() {
		return JobDescription
			.of(JOB_NAME,
					"Validates and imports a robot's result file for one robot enhancement batch, then writes"
							+ " its validation report and statuses; the robot API launches it")
			.parameter(ParameterDeclaration.named(BATCH_ID, String.class)
				.required()
				.format(ValueFormat.UUID)
				.description("the robot enhancement batch whose result file to import")
				.example("0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f"))
			.build();
	}

	@Bean
	public Job enhancementImportJob(JobRepository jobRepository, DataSource dataSource, Step importEnhancementsStep,
			Step resolveEnhancementEntriesStep, Step reportMissingReferencesStep, Step writeValidationReportStep,
			JobDescription enhancementImportJobDescription, EnhancementImportProperties properties,
			PartitionSteps partitionSteps) {
		return job(JOB_NAME, jobRepository, dataSource, importEnhancementsStep,
				(properties.gridSize() == 1) ? null : resolveEnhancementEntriesStep, reportMissingReferencesStep,
				writeValidationReportStep, enhancementImportJobDescription,
				partitionSteps.gridSizeCheck(STEP_NAME, properties.gridSize(), GRID_SIZE_PROPERTY));
	}

	/**
	 * The job's flow.
	 * @param resolve the step after a partitioned import step, {@code null} after the
	 * unpartitioned one
	 * @param gridSizeCheck refuses a restart under the other shape of the import step
	 * (which also decides whether the resolving step is in the flow)
	 */
	static Job job(String name, JobRepository jobRepository, DataSource dataSource, Step importStep, Step resolve,
			Step missing, Step report, JobDescription description, GridSizeCheck gridSizeCheck) {
		JobBuilder builder = new JobBuilder(name, jobRepository);
		builder.validator(description.validator())
			.listener(gridSizeCheck)
			.listener(new ImportExecutionRecorder(new JdbcTemplate(dataSource), CLOCK))
			.listener(new ImportFailureListener(jobRepository));
		if (resolve == null) {
			return builder.start(importStep).next(missing).next(report).build();
		}
		return builder.start(importStep).next(resolve).next(missing).next(report).build();
	}

	/**
	 * Whether the database is PostgreSQL, where the import uses {@code COPY},
	 * {@code uuid[]} look-ups and an {@code UPDATE ... FROM} join; asked once per step.
	 */
	static boolean onPostgres(DataSource dataSource) {
		try {
			return DatabaseType.fromMetaData(dataSource) == DatabaseType.POSTGRES;
		}
		catch (MetaDataAccessException ex) {
			throw new DataAccessResourceFailureException("Cannot read the database's metadata", ex);
		}
	}

	static RetryPolicy retryPolicy(EnhancementImportProperties properties) {
		return RetryPolicy.builder()
			.maxRetries(properties.retryLimit())
			.delay(properties.backOff())
			.multiplier(2)
			.maxDelay(properties.maxBackOff())
			.includes(TransientDataAccessException.class, RecoverableDataAccessException.class,
					DuplicateKeyException.class, SdkClientException.class)
			.build();
	}

	/**
	 * The whole file in one chunk-oriented step, or, with a grid size above 1, the
	 * manager of its partitions.
	 */
	@Bean
	public Step importEnhancementsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JsonlItemReader enhancementImportResultReader, EnhancementResultProcessor enhancementImportResultProcessor,
			EnhancementResultWriter enhancementImportResultWriter, EnhancementImportProperties properties,
			PartitionSteps partitionSteps, Step importEnhancementRangeStep,
			JsonlRangePartitioner enhancementImportPartitioner) {
		if (properties.gridSize() == 1) {
			return partitionSteps
				.unpartitioned(chunkStep(STEP_NAME, jobRepository, transactionManager, enhancementImportResultReader,
						enhancementImportResultProcessor, enhancementImportResultWriter, properties));
		}
		return partitionSteps.partitioned(STEP_NAME, importEnhancementRangeStep, enhancementImportPartitioner,
				properties.gridSize());
	}

	/**
	 * One partition: the lines starting in its byte range. Defined (and known to workers)
	 * whatever this node's grid size.
	 */
	@Bean
	public Step importEnhancementRangeStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JsonlItemReader enhancementImportRangeReader, EnhancementResultProcessor enhancementImportResultProcessor,
			EnhancementCandidateWriter enhancementImportCandidateWriter, EnhancementImportProperties properties,
			PartitionSteps partitionSteps) {
		return partitionSteps.worker(
				new StepBuilder(RANGE_STEP_NAME, jobRepository).<JsonlLine, ResultEntry>chunk(properties.chunkSize())
					.transactionManager(transactionManager)
					.reader(enhancementImportRangeReader)
					.processor(enhancementImportResultProcessor)
					.writer(enhancementImportCandidateWriter)
					.faultTolerant()
					.retryPolicy(retryPolicy(properties))
					.build(),
				ImportFailureListener::describe);
	}

	static Step chunkStep(String name, JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JsonlItemReader reader, EnhancementResultProcessor processor, ItemWriter<ResultEntry> writer,
			EnhancementImportProperties properties) {
		return new StepBuilder(name, jobRepository).<JsonlLine, ResultEntry>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(reader)
			.processor(processor)
			.writer(writer)
			.faultTolerant()
			.retryPolicy(retryPolicy(properties))
			.build();
	}

	@Bean
	@StepScope
	public JsonlItemReader enhancementImportResultReader(BlobStore enhancementBlobStore, DataSource dataSource,
			EnhancementImportProperties properties, @Value("#{jobParameters['batchId']}") String batchId) {
		UUID batch = UUID.fromString(batchId);
		String key = importingResultKey(dataSource, batch);
		return JsonlItemReader.builder()
			.name(READER_NAME)
			.maxLineLength((int) properties.maxLineLength().toBytes())
			.input((offset) -> open(enhancementBlobStore, key, offset, batch))
			.build();
	}

	/**
	 * The reader of one partition: its range comes from the partition's step execution
	 * context, and it refuses to run without one (it would read the whole file).
	 */
	@Bean
	@StepScope
	public JsonlItemReader enhancementImportRangeReader(BlobStore enhancementBlobStore, DataSource dataSource,
			EnhancementImportProperties properties, @Value("#{jobParameters['batchId']}") String batchId,
			@Value("#{stepExecution.executionContext}") ExecutionContext context) {
		UUID batch = UUID.fromString(batchId);
		String key = importingResultKey(dataSource, batch);
		return JsonlItemReader.builder()
			.name(READER_NAME)
			.maxLineLength((int) properties.maxLineLength().toBytes())
			.input((offset) -> open(enhancementBlobStore, key, offset, batch))
			.range(JsonlRangePartitioner.range(context))
			.build();
	}

	/**
	 * Reads the result file once, in the manager, to find the ranges and their line
	 * numbers; a missing file splits into empty ranges, as it reads as empty.
	 */
	@Bean
	@StepScope
	public JsonlRangePartitioner enhancementImportPartitioner(BlobStore enhancementBlobStore, DataSource dataSource,
			@Value("#{jobParameters['batchId']}") String batchId) {
		UUID batch = UUID.fromString(batchId);
		String key = importingResultKey(dataSource, batch);
		return new JsonlRangePartitioner(() -> open(enhancementBlobStore, key, 0, batch),
				"result file " + key + " of batch " + batch);
	}

	/**
	 * The blob of the batch's result, refusing a batch that is not importing (a stray or
	 * repeated launch must not import a result twice).
	 */
	static String importingResultKey(DataSource dataSource, UUID batch) {
		EnhancementBatches.Batch found = new EnhancementBatches(new JdbcTemplate(dataSource), CLOCK).find(batch)
			.orElseThrow(() -> new IllegalStateException("No robot enhancement batch " + batch));
		if (!RequestStatus.IMPORTING.value().equals(found.status())) {
			throw new IllegalStateException(
					"Robot enhancement batch " + batch + " is " + found.status() + ", not importing");
		}
		return found.resultKey();
	}

	static InputStream open(BlobStore blobs, String key, long offset, UUID batch) {
		try {
			return blobs.open(key, offset);
		}
		catch (NoSuchBlobException ex) {
			// The robot said its file was ready but uploaded none: an empty
			// result, so every requested reference is reported missing.
			logger.warn("Batch " + batch + ": no result file " + key + "; read as empty");
			return InputStream.nullInputStream();
		}
	}

	@Bean
	@StepScope
	public EnhancementResultProcessor enhancementImportResultProcessor(EnhancementImportProperties properties) {
		return new EnhancementResultProcessor(
				new EnhancementLineParser(resultMapper(), (int) properties.maxLineLength().toBytes()));
	}

	@Bean
	@StepScope
	public EnhancementResultWriter enhancementImportResultWriter(DataSource dataSource,
			@Value("#{jobParameters['batchId']}") String batchId) {
		return new EnhancementResultWriter(new JdbcTemplate(dataSource), onPostgres(dataSource),
				UUID.fromString(batchId), CLOCK);
	}

	@Bean
	@StepScope
	public EnhancementCandidateWriter enhancementImportCandidateWriter(DataSource dataSource,
			@Value("#{jobParameters['batchId']}") String batchId) {
		return new EnhancementCandidateWriter(new JdbcTemplate(dataSource), UUID.fromString(batchId));
	}

	/**
	 * After the partitions: the lines they staged, decided by line number. Part of the
	 * job's flow only with a grid size above 1.
	 */
	@Bean
	public Step resolveEnhancementEntriesStep(JobRepository jobRepository,
			PlatformTransactionManager transactionManager,
			ResolveEnhancementEntriesTasklet enhancementImportResolveTasklet) {
		return new StepBuilder(RESOLVE_STEP_NAME, jobRepository)
			.tasklet(enhancementImportResolveTasklet, transactionManager)
			.build();
	}

	@Bean
	@StepScope
	public ResolveEnhancementEntriesTasklet enhancementImportResolveTasklet(DataSource dataSource,
			@Value("#{jobParameters['batchId']}") String batchId) {
		return new ResolveEnhancementEntriesTasklet(new JdbcTemplate(dataSource), onPostgres(dataSource),
				UUID.fromString(batchId), CLOCK);
	}

	@Bean
	public Step reportMissingReferencesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ReportMissingReferencesTasklet enhancementImportMissingTasklet) {
		return new StepBuilder("reportMissingReferencesStep", jobRepository)
			.tasklet(enhancementImportMissingTasklet, transactionManager)
			.build();
	}

	@Bean
	@StepScope
	public ReportMissingReferencesTasklet enhancementImportMissingTasklet(DataSource dataSource,
			EnhancementImportProperties properties, @Value("#{jobParameters['batchId']}") String batchId) {
		// Unpartitioned, EnhancementResultWriter settles each chunk's named references;
		// partitioned, the resolve step writes entries only, and this step settles.
		return new ReportMissingReferencesTasklet(new JdbcTemplate(dataSource), onPostgres(dataSource),
				UUID.fromString(batchId), CLOCK, properties.gridSize() == 1);
	}

	@Bean
	public Step writeValidationReportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			WriteValidationReportTasklet enhancementImportReportTasklet) {
		return new StepBuilder("writeValidationReportStep", jobRepository)
			.tasklet(enhancementImportReportTasklet, transactionManager)
			.build();
	}

	@Bean
	@StepScope
	public WriteValidationReportTasklet enhancementImportReportTasklet(DataSource dataSource,
			BlobStore enhancementBlobStore, @Value("#{jobParameters['batchId']}") String batchId) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		return new WriteValidationReportTasklet(jdbc, enhancementBlobStore, new EnhancementBatches(jdbc, CLOCK),
				UUID.fromString(batchId), JsonMapper.shared());
	}

	@Bean
	public BlobStore enhancementBlobStore(EnhancementsProperties properties) {
		return properties.storage().blobStore();
	}

}
