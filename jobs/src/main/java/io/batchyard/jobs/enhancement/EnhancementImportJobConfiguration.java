package io.batchyard.jobs.enhancement;

import java.io.InputStream;
import java.time.Clock;
import java.util.UUID;

import javax.sql.DataSource;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.launch.ParameterDeclaration;
import io.batchyard.jobs.launch.ValueFormat;
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
import org.springframework.batch.infrastructure.support.DatabaseType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ EnhancementImportProperties.class, EnhancementsProperties.class })
public class EnhancementImportJobConfiguration {

	static final String JOB_NAME = "enhancementImportJob";

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
			Step reportMissingReferencesStep, Step writeValidationReportStep,
			JobDescription enhancementImportJobDescription) {
		return new JobBuilder(JOB_NAME, jobRepository).validator(enhancementImportJobDescription.validator())
			.listener(new ImportExecutionRecorder(new JdbcTemplate(dataSource), CLOCK))
			.listener(new ImportFailureListener())
			.start(importEnhancementsStep)
			.next(reportMissingReferencesStep)
			.next(writeValidationReportStep)
			.build();
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

	@Bean
	public Step importEnhancementsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JsonlItemReader enhancementImportResultReader, EnhancementResultProcessor enhancementImportResultProcessor,
			EnhancementResultWriter enhancementImportResultWriter, EnhancementImportProperties properties) {
		return new StepBuilder("importEnhancementsStep", jobRepository)
			.<JsonlLine, ResultEntry>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(enhancementImportResultReader)
			.processor(enhancementImportResultProcessor)
			.writer(enhancementImportResultWriter)
			.faultTolerant()
			.retryPolicy(retryPolicy(properties))
			.build();
	}

	@Bean
	@StepScope
	public JsonlItemReader enhancementImportResultReader(BlobStore enhancementBlobStore, DataSource dataSource,
			EnhancementImportProperties properties, @Value("#{jobParameters['batchId']}") String batchId) {
		UUID batch = UUID.fromString(batchId);
		EnhancementBatches.Batch found = new EnhancementBatches(new JdbcTemplate(dataSource), CLOCK).find(batch)
			.orElseThrow(() -> new IllegalStateException("No robot enhancement batch " + batch));
		if (!RequestStatus.IMPORTING.value().equals(found.status())) {
			throw new IllegalStateException(
					"Robot enhancement batch " + batch + " is " + found.status() + ", not importing");
		}
		String key = found.resultKey();
		return JsonlItemReader.builder()
			.name("enhancementImportResultReader")
			.maxLineLength((int) properties.maxLineLength().toBytes())
			.input((offset) -> open(enhancementBlobStore, key, offset, batch))
			.build();
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
	public Step reportMissingReferencesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ReportMissingReferencesTasklet enhancementImportMissingTasklet) {
		return new StepBuilder("reportMissingReferencesStep", jobRepository)
			.tasklet(enhancementImportMissingTasklet, transactionManager)
			.build();
	}

	@Bean
	@StepScope
	public ReportMissingReferencesTasklet enhancementImportMissingTasklet(DataSource dataSource,
			@Value("#{jobParameters['batchId']}") String batchId) {
		return new ReportMissingReferencesTasklet(new JdbcTemplate(dataSource), onPostgres(dataSource),
				UUID.fromString(batchId), CLOCK);
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
