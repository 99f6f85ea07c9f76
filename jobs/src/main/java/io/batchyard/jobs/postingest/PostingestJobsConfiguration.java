package io.batchyard.jobs.postingest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.partition.PartitionFailureListener;
import io.batchyard.jobs.partition.PartitionSteps;
import io.batchyard.jobs.partition.PartitioningConfiguration;
import io.batchyard.jobs.partition.ScanSegmentPartitioner;
import io.batchyard.jobs.support.ReferenceTime;
import io.batchyard.jobs.support.SkippedItemRecorder;
import io.batchyard.readers.dynamodb.DynamoDbPagingItemReader;
import io.batchyard.readers.dynamodb.DynamoDbPagingItemReaderBuilder;
import io.batchyard.readers.sns.SnsPublisher;
import io.batchyard.readers.sqs.SqsBatchSender;
import io.batchyard.readers.sqs.SqsMaximumMessageSize;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * {@code postingestSweepJob} and {@code postingestResendJob}: the DR2 postingest state
 * machine over a DynamoDB state table, confirmer queues on SQS and notifications on SNS,
 * as restartable scheduled sweeps instead of a stream lambda and a resender lambda.
 * <p>
 * Both read DynamoDB page by page and keep the key of the last row read in the step's
 * ExecutionContext; both skip (and record) rows no rule can process; neither retries in
 * the step: the SDK retries throttling, 5xx and network faults itself, and
 * {@link SqsBatchSender} and {@link SnsPublisher} retry failed batch entries, so what
 * still fails fails the step for a restart.
 * <p>
 * With {@code batchyard.jobs.postingest.sweep-grid-size} above 1 the sweep is a
 * partitioned step: each partition scans one segment of a DynamoDB parallel scan
 * ({@code sweepStateTableSegmentStep}), resuming after the last key it committed. Rows
 * are independent of each other, so the end state is that of one scan.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PostingestProperties.class)
@Import(PartitioningConfiguration.class)
@ConditionalOnProperty(name = "batchyard.jobs.postingest.enabled", havingValue = "true", matchIfMissing = true)
public class PostingestJobsConfiguration {

	static final String SWEEP_JOB = "postingestSweepJob";

	static final String SWEEP_STEP = "sweepStateTableStep";

	static final String SWEEP_SEGMENT_STEP = "sweepStateTableSegmentStep";

	/**
	 * The sweep reader's name in both steps: its keys in their step execution contexts.
	 */
	static final String SWEEP_READER = "postingestSweepReader";

	static final String RESEND_JOB = "postingestResendJob";

	static final String RESEND_STEP = "resendStaleMessagesStep";

	@Bean
	public QueueRoute postingestQueueRoute(PostingestProperties properties) {
		return new QueueRoute(properties.queues(), properties.attributePrefix());
	}

	/**
	 * Each confirmer queue's {@code MaximumMessageSize}, read once for the rules (a
	 * larger message is a skip) and the senders (a call's total stays under it).
	 */
	@Bean
	public SqsMaximumMessageSize postingestMaximumMessageSize(SqsAsyncClient sqsAsyncClient) {
		return new SqsMaximumMessageSize(sqsAsyncClient);
	}

	@Bean
	public StateChangeRules postingestRules(QueueRoute postingestQueueRoute,
			SqsMaximumMessageSize postingestMaximumMessageSize) {
		return new StateChangeRules(postingestQueueRoute, new PostingestMessages(), postingestMaximumMessageSize::of);
	}

	@Bean
	public JobDescription postingestSweepJobDescription() {
		return ReferenceTime.declare(JobDescription.of(SWEEP_JOB,
				"Sweeps the postingest state table: moves each asset's row through its confirmer queues and"
						+ " notifies when the last one confirmed it"))
			.build();
	}

	@Bean
	public JobDescription postingestResendJobDescription() {
		return ReferenceTime.declare(JobDescription.of(RESEND_JOB,
				"Resends the postingest messages that waited on a confirmer queue longer than the queue's"
						+ " retention before the reference time"))
			.build();
	}

	@Bean
	public Job postingestSweepJob(JobRepository jobRepository, Step sweepStateTableStep,
			JobDescription postingestSweepJobDescription, PostingestProperties properties,
			PartitionSteps partitionSteps) {
		return new JobBuilder(SWEEP_JOB, jobRepository).validator(postingestSweepJobDescription.validator())
			.listener(partitionSteps.gridSizeCheck(SWEEP_STEP, properties.sweepGridSize(),
					"batchyard.jobs.postingest.sweep-grid-size"))
			// A failed segment fails the sweep with the partition step's own message:
			// the exit description names the segment's failure instead.
			.listener(new PartitionFailureListener(jobRepository))
			.start(sweepStateTableStep)
			.build();
	}

	@Bean
	public Job postingestResendJob(JobRepository jobRepository, Step resendStaleMessagesStep,
			JobDescription postingestResendJobDescription) {
		return new JobBuilder(RESEND_JOB, jobRepository).validator(postingestResendJobDescription.validator())
			.start(resendStaleMessagesStep)
			.build();
	}

	/**
	 * The whole table in one chunk-oriented step, or, with a grid size above 1, the
	 * manager of its segments.
	 */
	@Bean
	public Step sweepStateTableStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DynamoDbPagingItemReader postingestSweepReader, StateChangeRules postingestRules,
			PostingestWriter postingestSweepWriter, PostingestProperties properties, DataSource dataSource,
			PartitionSteps partitionSteps, Step sweepStateTableSegmentStep) {
		if (properties.sweepGridSize() == 1) {
			return partitionSteps
				.unpartitioned(step(SWEEP_STEP, jobRepository, transactionManager, properties, dataSource)
					.reader(postingestSweepReader)
					.processor(new PostingestSweepProcessor(postingestRules, Clock.systemUTC()))
					.writer(postingestSweepWriter)
					.build());
		}
		return partitionSteps.partitioned(SWEEP_STEP, sweepStateTableSegmentStep, new ScanSegmentPartitioner(),
				properties.sweepGridSize());
	}

	/**
	 * One partition of the sweep: one segment of a parallel scan. Defined (and known to
	 * workers) whatever this node's grid size.
	 */
	@Bean
	public Step sweepStateTableSegmentStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DynamoDbPagingItemReader postingestSegmentReader, StateChangeRules postingestRules,
			PostingestWriter postingestSweepWriter, PostingestProperties properties, DataSource dataSource,
			PartitionSteps partitionSteps) {
		return partitionSteps.worker(step(SWEEP_SEGMENT_STEP, jobRepository, transactionManager, properties, dataSource)
			.reader(postingestSegmentReader)
			.processor(new PostingestSweepProcessor(postingestRules, Clock.systemUTC()))
			.writer(postingestSweepWriter)
			.build());
	}

	@Bean
	public Step resendStaleMessagesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ResendQueuesReader postingestResendReader, StateChangeRules postingestRules,
			PostingestWriter postingestResendWriter, PostingestProperties properties, DataSource dataSource) {
		return step(RESEND_STEP, jobRepository, transactionManager, properties, dataSource)
			.reader(postingestResendReader)
			.processor(new PostingestResendProcessor(postingestRules))
			.writer(postingestResendWriter)
			.build();
	}

	private static org.springframework.batch.core.step.builder.ChunkOrientedStepBuilder<Map<String, AttributeValue>, Transition> step(
			String name, JobRepository jobRepository, PlatformTransactionManager transactionManager,
			PostingestProperties properties, DataSource dataSource) {
		SkippedItemRecorder<Map<String, AttributeValue>, Transition> recorder = new SkippedItemRecorder<>(dataSource,
				new PostingestSkipDescriber(properties.tableName()));
		return new StepBuilder(name, jobRepository)
			.<Map<String, AttributeValue>, Transition>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.faultTolerant()
			.skip(UnprocessableRowException.class)
			.skipLimit(properties.skipLimit())
			.skipListener(recorder)
			.listener((StepExecutionListener) recorder);
	}

	/**
	 * The whole table, page by page (a page is a chunk). Step-scoped and typed as the
	 * concrete reader, so the step sees an ItemStream and saves its position.
	 */
	@Bean
	@StepScope
	public DynamoDbPagingItemReader postingestSweepReader(DynamoDbClient dynamoDbClient,
			PostingestProperties properties) {
		return new DynamoDbPagingItemReaderBuilder().name(SWEEP_READER)
			.client(dynamoDbClient)
			.scan(ScanRequest.builder().tableName(properties.tableName()).limit(properties.chunkSize()).build())
			.keyAttributes(PostingestRow.ASSET_ID, PostingestRow.BATCH_ID)
			.build();
	}

	/**
	 * The segment of one partition, from its step execution context (refused without one:
	 * it would scan the whole table).
	 */
	@Bean
	@StepScope
	public DynamoDbPagingItemReader postingestSegmentReader(DynamoDbClient dynamoDbClient,
			PostingestProperties properties, @Value("#{stepExecution.executionContext}") ExecutionContext context) {
		int[] segment = ScanSegmentPartitioner.segment(context);
		return new DynamoDbPagingItemReaderBuilder().name(SWEEP_READER)
			.client(dynamoDbClient)
			.scan(ScanRequest.builder().tableName(properties.tableName()).limit(properties.chunkSize()).build())
			.keyAttributes(PostingestRow.ASSET_ID, PostingestRow.BATCH_ID)
			.segment(segment[0], segment[1])
			.build();
	}

	/**
	 * For each queue in order, the rows of the index with {@code queue = alias} and
	 * {@code lastQueued} before the reference time minus the queue's retention.
	 */
	@Bean
	@StepScope
	public ResendQueuesReader postingestResendReader(DynamoDbClient dynamoDbClient, SqsAsyncClient sqsAsyncClient,
			PostingestProperties properties, QueueRoute postingestQueueRoute,
			@Value("#{jobParameters['asOf']}") String asOf, @Value("#{jobParameters['fireTime']}") String fireTime)
			throws InvalidJobParametersException {
		Instant reference = new ReferenceTime(RESEND_JOB).parse(asOf, fireTime);
		QueueRetention retention = new QueueRetention(sqsAsyncClient);
		List<DynamoDbPagingItemReader> queries = new ArrayList<>();
		for (QueueRoute.Stage stage : postingestQueueRoute.stages()) {
			Instant cutoff = reference.minus(retention.of(stage));
			queries.add(new DynamoDbPagingItemReaderBuilder().name("postingestResendReader." + stage.alias())
				.client(dynamoDbClient)
				.query(QueryRequest.builder()
					.tableName(properties.tableName())
					.indexName(properties.indexName())
					.keyConditionExpression("#q = :alias AND lastQueued < :cutoff")
					.expressionAttributeNames(Map.of("#q", PostingestRow.QUEUE))
					.expressionAttributeValues(Map.of(":alias", AttributeValue.fromS(stage.alias()), ":cutoff",
							AttributeValue.fromS(cutoff.toString())))
					.limit(properties.chunkSize())
					.build())
				.keyAttributes(PostingestRow.ASSET_ID, PostingestRow.BATCH_ID, PostingestRow.QUEUE,
						PostingestRow.LAST_QUEUED)
				.build());
		}
		return new ResendQueuesReader("postingestResendReader", queries);
	}

	@Bean
	public PostingestWriter postingestSweepWriter(SqsAsyncClient sqsAsyncClient, ObjectProvider<SnsClient> snsClient,
			DynamoDbAsyncClient dynamoDbAsyncClient, PostingestProperties properties,
			SqsMaximumMessageSize postingestMaximumMessageSize) {
		return writer(sqsAsyncClient, snsClient, dynamoDbAsyncClient, properties, postingestMaximumMessageSize);
	}

	@Bean
	public PostingestWriter postingestResendWriter(SqsAsyncClient sqsAsyncClient, ObjectProvider<SnsClient> snsClient,
			DynamoDbAsyncClient dynamoDbAsyncClient, PostingestProperties properties,
			SqsMaximumMessageSize postingestMaximumMessageSize) {
		return writer(sqsAsyncClient, snsClient, dynamoDbAsyncClient, properties, postingestMaximumMessageSize);
	}

	private static PostingestWriter writer(SqsAsyncClient sqs, ObjectProvider<SnsClient> sns,
			DynamoDbAsyncClient dynamoDb, PostingestProperties properties, SqsMaximumMessageSize maxMessageSize) {
		SqsBatchSender sender = SqsBatchSender.builder()
			.client(sqs)
			.maxAttempts(properties.sendAttempts())
			.initialBackOff(properties.sendBackOff())
			.maxMessageSize(maxMessageSize)
			.build();
		SnsPublisher publisher = (properties.topicArn() != null && !properties.topicArn().isBlank())
				? SnsPublisher.builder()
					.client(sns.getObject())
					.topicArn(properties.topicArn())
					.maxAttempts(properties.sendAttempts())
					.initialBackOff(properties.sendBackOff())
					.build()
				: null;
		return new PostingestWriter(sender, publisher, dynamoDb, properties.tableName(), Clock.systemUTC(),
				properties.sendAttempts(), properties.sendBackOff());
	}

}
