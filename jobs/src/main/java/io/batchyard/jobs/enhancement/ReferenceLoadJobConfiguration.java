package io.batchyard.jobs.enhancement;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.LongFunction;

import javax.sql.DataSource;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.launch.ParameterDeclaration;
import io.batchyard.jobs.partition.GridSizeCheck;
import io.batchyard.jobs.partition.JsonlRangePartitioner;
import io.batchyard.jobs.partition.PartitionSteps;
import io.batchyard.jobs.partition.PartitioningConfiguration;
import io.batchyard.jobs.support.SkippedItem;
import io.batchyard.jobs.support.SkippedItemDescriber;
import io.batchyard.jobs.support.SkippedItemRecorder;
import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.jsonl.JsonlItemReader;
import io.batchyard.readers.jsonl.JsonlLine;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code referenceLoadJob}: loads a JSONL file of {@code Reference} objects (one per
 * line, with their identifiers and enhancements) into the repository. Identifying
 * parameter {@value #INPUT}: {@code file:<path>} or a key of the enhancement blob store;
 * add an identifying {@code version} (ETag, modification time) to load a changed file
 * again. Lines are validated as in {@code enhancementImportJob}; an invalid line is
 * skipped and recorded with its number and reason, and the step ends
 * {@code COMPLETED WITH SKIPS}. Restart resumes at the saved byte offset. A {@code file:}
 * input must lie under {@code batchyard.jobs.reference-load.allowed-directories}
 * ({@link ReferenceFiles}): the job's validator refuses anything else, so every entry
 * point (HTTP, dashboard, CLI, queue, schedule) refuses it before a launch.
 * <p>
 * With {@code batchyard.jobs.reference-load.grid-size} above 1,
 * {@code loadReferencesStep} is a partitioned step: {@link JsonlRangePartitioner} splits
 * the file into byte ranges aligned to line starts, and each partition runs
 * {@code loadReferenceRangeStep} on its range, numbering lines as in the whole file and
 * resuming from its own saved offset. The writer keeps the last line of a reference
 * whatever the order of the partitions' writes, so the end state (rows and recorded
 * skips) is that of one step over the whole file.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ EnhancementImportProperties.class, EnhancementsProperties.class,
		ReferenceLoadProperties.class })
@Import(PartitioningConfiguration.class)
public class ReferenceLoadJobConfiguration {

	static final String JOB_NAME = "referenceLoadJob";

	static final String STEP_NAME = "loadReferencesStep";

	static final String RANGE_STEP_NAME = "loadReferenceRangeStep";

	/** The reader's name in both steps: its keys in their step execution contexts. */
	static final String READER_NAME = "referenceLoadReader";

	static final String GRID_SIZE_PROPERTY = "batchyard.jobs.reference-load.grid-size";

	/** Identifying: the reference file. */
	public static final String INPUT = "input";

	private static final Clock CLOCK = Clock.systemUTC();

	/** Identifying, optional: tells a changed file from the one loaded before. */
	public static final String VERSION = "version";

	@Bean
	public JobDescription referenceLoadJobDescription(ReferenceLoadProperties referenceLoadProperties) {
		return JobDescription
			.of(JOB_NAME,
					"Loads a JSONL file of references (identifiers and enhancements) into the repository;"
							+ " invalid lines are skipped and recorded")
			.parameter(ParameterDeclaration.named(INPUT, String.class)
				.required()
				.description("the reference file: file:<path> under batchyard.jobs.reference-load"
						+ ".allowed-directories, or a key of the enhancement blob store")
				.example("references/2026-11-23.jsonl"))
			.parameter(ParameterDeclaration.named(VERSION, String.class)
				.description("the file's version (an ETag or modification time): a new one loads a changed file"
						+ " again under the same input")
				.example("2026-11-23T03:30:00Z"))
			.check(new ReferenceLoadParametersValidator(referenceLoadProperties.referenceFiles()))
			.build();
	}

	@Bean
	public Job referenceLoadJob(JobRepository jobRepository, Step loadReferencesStep,
			JobDescription referenceLoadJobDescription, ReferenceLoadProperties load, PartitionSteps partitionSteps) {
		return job(jobRepository, loadReferencesStep, referenceLoadJobDescription,
				partitionSteps.gridSizeCheck(STEP_NAME, load.gridSize(), GRID_SIZE_PROPERTY));
	}

	/**
	 * The job around its step, unpartitioned or the manager of its partitions.
	 * @param gridSizeCheck refuses a restart under the other shape of the step
	 */
	static Job job(JobRepository jobRepository, Step loadReferencesStep, JobDescription description,
			GridSizeCheck gridSizeCheck) {
		return new JobBuilder(JOB_NAME, jobRepository).validator(description.validator())
			.listener(gridSizeCheck)
			.listener(new ImportFailureListener(jobRepository))
			.start(loadReferencesStep)
			.build();
	}

	/**
	 * The whole file in one chunk-oriented step, or, with a grid size above 1, the
	 * manager of its partitions.
	 */
	@Bean
	public Step loadReferencesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DataSource dataSource, JsonlItemReader referenceLoadReader, ReferenceWriter referenceLoadWriter,
			EnhancementImportProperties properties, ReferenceLoadProperties load, PartitionSteps partitionSteps,
			Step loadReferenceRangeStep, JsonlRangePartitioner referenceLoadPartitioner) {
		if (load.gridSize() == 1) {
			return partitionSteps.unpartitioned(chunkStep(STEP_NAME, jobRepository, transactionManager, dataSource,
					referenceLoadReader, referenceLoadWriter, properties));
		}
		return partitionSteps.partitioned(STEP_NAME, loadReferenceRangeStep, referenceLoadPartitioner, load.gridSize());
	}

	/**
	 * One partition: the lines starting in its byte range. Defined (and known to workers)
	 * whatever this node's grid size.
	 */
	@Bean
	public Step loadReferenceRangeStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DataSource dataSource, JsonlItemReader referenceRangeReader, ReferenceWriter referenceLoadWriter,
			EnhancementImportProperties properties, PartitionSteps partitionSteps) {
		return partitionSteps.worker(chunkStep(RANGE_STEP_NAME, jobRepository, transactionManager, dataSource,
				referenceRangeReader, referenceLoadWriter, properties), ImportFailureListener::describe);
	}

	static Step chunkStep(String name, JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DataSource dataSource, JsonlItemReader reader, ReferenceWriter writer,
			EnhancementImportProperties properties) {
		SkippedItemRecorder<JsonlLine, Reference> recorder = new SkippedItemRecorder<>(dataSource,
				new SkippedItemDescriber<>() {
					@Override
					public SkippedItem describeProcess(JsonlLine item, Throwable failure) {
						return new SkippedItem("line " + item.number(), null, SkippedItemDescriber.reason(failure));
					}
				});
		return new StepBuilder(name, jobRepository).<JsonlLine, Reference>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(reader)
			.processor(new ReferenceLineProcessor(new EnhancementLineParser(
					EnhancementImportJobConfiguration.resultMapper(), (int) properties.maxLineLength().toBytes())))
			.writer(writer)
			.faultTolerant()
			.retryPolicy(EnhancementImportJobConfiguration.retryPolicy(properties))
			.skip(InvalidReferenceLineException.class)
			.skipLimit(Long.MAX_VALUE)
			.skipListener(recorder)
			.listener((StepExecutionListener) recorder)
			.build();
	}

	@Bean
	@StepScope
	public JsonlItemReader referenceLoadReader(BlobStore enhancementBlobStore, EnhancementImportProperties properties,
			ReferenceLoadProperties referenceLoadProperties, @Value("#{jobParameters['input']}") String input) {
		return JsonlItemReader.builder()
			.name(READER_NAME)
			.maxLineLength((int) properties.maxLineLength().toBytes())
			.input(input(enhancementBlobStore, referenceLoadProperties.referenceFiles(), input))
			.build();
	}

	/**
	 * The reader of one partition: its range comes from the partition's step execution
	 * context, and it refuses to run without one (it would read the whole file).
	 */
	@Bean
	@StepScope
	public JsonlItemReader referenceRangeReader(BlobStore enhancementBlobStore, EnhancementImportProperties properties,
			ReferenceLoadProperties referenceLoadProperties, @Value("#{jobParameters['input']}") String input,
			@Value("#{stepExecution.executionContext}") ExecutionContext context) {
		return JsonlItemReader.builder()
			.name(READER_NAME)
			.maxLineLength((int) properties.maxLineLength().toBytes())
			.input(input(enhancementBlobStore, referenceLoadProperties.referenceFiles(), input))
			.range(JsonlRangePartitioner.range(context))
			.build();
	}

	/**
	 * Reads the file once, in the manager, to find the ranges and their line numbers.
	 */
	@Bean
	@StepScope
	public JsonlRangePartitioner referenceLoadPartitioner(BlobStore enhancementBlobStore,
			ReferenceLoadProperties referenceLoadProperties, @Value("#{jobParameters['input']}") String input) {
		LongFunction<InputStream> open = input(enhancementBlobStore, referenceLoadProperties.referenceFiles(), input);
		return new JsonlRangePartitioner(() -> open.apply(0), "reference file " + input);
	}

	/**
	 * Per step execution: the writer knows the load (job instance) its lines belong to.
	 */
	@Bean
	@StepScope
	public ReferenceWriter referenceLoadWriter(DataSource dataSource,
			@Value("#{stepExecution.jobExecution.jobInstanceId}") long jobInstanceId) {
		return new ReferenceWriter(new JdbcTemplate(dataSource), CLOCK, jobInstanceId);
	}

	static LongFunction<InputStream> input(BlobStore blobs, ReferenceFiles files, String input) {
		if (ReferenceFiles.isFile(input)) {
			return (offset) -> {
				// Checked again when opened (and on every restart): the validator ran at
				// launch, and a link may have been swapped since.
				Path file = files.resolve(input);
				try {
					SeekableByteChannel channel = Files.newByteChannel(file, LinkOption.NOFOLLOW_LINKS);
					channel.position(offset);
					return Channels.newInputStream(channel);
				}
				catch (IOException ex) {
					throw new UncheckedIOException("Cannot read reference file " + file.toAbsolutePath(), ex);
				}
			};
		}
		return (offset) -> blobs.open(input, offset);
	}

}
