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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ EnhancementImportProperties.class, EnhancementsProperties.class,
		ReferenceLoadProperties.class })
public class ReferenceLoadJobConfiguration {

	static final String JOB_NAME = "referenceLoadJob";

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
			JobDescription referenceLoadJobDescription) {
		return new JobBuilder(JOB_NAME, jobRepository).validator(referenceLoadJobDescription.validator())
			.listener(new ImportFailureListener())
			.start(loadReferencesStep)
			.build();
	}

	@Bean
	public Step loadReferencesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DataSource dataSource, JsonlItemReader referenceLoadReader, EnhancementImportProperties properties) {
		SkippedItemRecorder<JsonlLine, Reference> recorder = new SkippedItemRecorder<>(dataSource,
				new SkippedItemDescriber<>() {
					@Override
					public SkippedItem describeProcess(JsonlLine item, Throwable failure) {
						return new SkippedItem("line " + item.number(), null, SkippedItemDescriber.reason(failure));
					}
				});
		return new StepBuilder("loadReferencesStep", jobRepository).<JsonlLine, Reference>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(referenceLoadReader)
			.processor(new ReferenceLineProcessor(new EnhancementLineParser(
					EnhancementImportJobConfiguration.resultMapper(), (int) properties.maxLineLength().toBytes())))
			.writer(new ReferenceWriter(new JdbcTemplate(dataSource), CLOCK))
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
			.name("referenceLoadReader")
			.maxLineLength((int) properties.maxLineLength().toBytes())
			.input(input(enhancementBlobStore, referenceLoadProperties.referenceFiles(), input))
			.build();
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
