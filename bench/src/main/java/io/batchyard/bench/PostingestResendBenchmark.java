package io.batchyard.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import io.batchyard.test.AwsRequestCounter;
import io.batchyard.test.EmulatorClients;
import io.batchyard.jobs.postingest.PostingestJobsConfiguration;
import io.batchyard.test.DynamoDbLocalServer;
import io.batchyard.test.ElasticMqServer;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code postingestResendJob} against a one-message-per-call loop, on the same stale rows
 * in the same run: DynamoDB Local and ElasticMQ in this process, a table of {@code rows}
 * rows of which {@code stale} are older than the queue's retention. Prints rows/s and the
 * AWS requests each side sent per 1,000 rows, by service and operation. Arguments:
 * {@code [rows] [stale] [chunkSize]} (default 100000 10000 100).
 */
public final class PostingestResendBenchmark {

	static final String TABLE = "bench-postingest-state";

	static final String INDEX = "QueueLastQueuedIdx";

	static final int WARM_UP_ROWS = 3000;

	private PostingestResendBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		BenchArguments arguments = new BenchArguments("PostingestResendBenchmark",
				"Usage: PostingestResendBenchmark [rows, default 100000] [stale rows, default 10000]"
						+ " [chunk size, default 100]",
				args, 3);
		int rows = arguments.count(0, "rows", 100_000, 1);
		int stale = arguments.count(1, "stale rows", 10_000, 0);
		int chunkSize = arguments.count(2, "chunk size", 100, 1);
		String dynamoEndpoint = DynamoDbLocalServer.endpoint();
		String sqsEndpoint = ElasticMqServer.endpoint();
		DynamoDbClient dynamoDb = EmulatorClients.client(DynamoDbClient.builder(), dynamoEndpoint);
		DynamoDbAsyncClient dynamoDbAsync = EmulatorClients.client(DynamoDbAsyncClient.builder(), dynamoEndpoint);
		SqsClient sqs = EmulatorClients.client(SqsClient.builder(), sqsEndpoint);
		String queueUrl = sqs.createQueue((b) -> b.queueName("bench-cc")).queueUrl();
		createTable(dynamoDb);
		Instant now = Instant.now();
		long loadStart = System.nanoTime();
		load(dynamoDbAsync, rows, stale, now, 0, rows);
		System.out.printf("Loaded %,d rows (%,d stale) in %.1f s%n", rows, stale, Stopwatch.seconds(loadStart));

		// The job, on the real step, reader and writer.
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchApplication.class).run(
				"--batchyard.jobs.postingest.queues[0].queue-alias=CC",
				"--batchyard.jobs.postingest.queues[0].queue-order=1",
				"--batchyard.jobs.postingest.queues[0].retention=14d",
				"--batchyard.jobs.postingest.queues[0].queue-url=" + queueUrl,
				"--batchyard.jobs.postingest.chunk-size=" + chunkSize, "--bench.dynamodb=" + dynamoEndpoint,
				"--bench.sqs=" + sqsEndpoint);

		// Warm-up, not measured: both sides once over the first rows, so that neither
		// pays for the JIT compiling the emulators' write paths (DynamoDB Local's first
		// thousands of updates run about three times slower than later ones).
		int warmUp = Math.min(WARM_UP_ROWS, stale);
		load(dynamoDbAsync, rows, warmUp, now, 0, stale);
		resend(context, now.minusMillis(1), warmUp);
		load(dynamoDbAsync, rows, warmUp, now, 0, warmUp);
		naiveLoop(dynamoDb, sqs, queueUrl, now.minus(Duration.ofDays(14)));
		System.out.printf("Warm-up: both sides over %,d rows%n", warmUp);

		load(dynamoDbAsync, rows, stale, now, 0, stale);
		sqs.purgeQueue((b) -> b.queueUrl(queueUrl));
		AwsRequestCounter.Counts beforeJob = AwsRequestCounter.snapshot();
		long jobStart = System.nanoTime();
		StepExecution step = resend(context, now, stale);
		double jobSeconds = Stopwatch.seconds(jobStart);
		AwsRequestCounter.Counts jobRequests = AwsRequestCounter.snapshot().since(beforeJob);
		int jobMessages = messages(sqs, queueUrl);
		context.close();

		// The same rows stale again, the queue empty, then the naive loop.
		load(dynamoDbAsync, rows, stale, now, 0, stale);
		sqs.purgeQueue((b) -> b.queueUrl(queueUrl));
		AwsRequestCounter.Counts beforeNaive = AwsRequestCounter.snapshot();
		long naiveStart = System.nanoTime();
		int naive = naiveLoop(dynamoDb, sqs, queueUrl, now.minus(Duration.ofDays(14)));
		double naiveSeconds = Stopwatch.seconds(naiveStart);
		AwsRequestCounter.Counts naiveRequests = AwsRequestCounter.snapshot().since(beforeNaive);
		int naiveMessages = messages(sqs, queueUrl);

		double jobRate = stale / jobSeconds;
		double naiveRate = naive / naiveSeconds;
		System.out.printf("postingestResendJob (chunk %d): %,d rows resent in %.2f s = %,.0f rows/s (%,d messages)%n",
				chunkSize, step.getWriteCount(), jobSeconds, jobRate, jobMessages);
		System.out.printf("one-message-per-call loop:   %,d rows resent in %.2f s = %,.0f rows/s (%,d messages)%n",
				naive, naiveSeconds, naiveRate, naiveMessages);
		System.out.printf("ratio: %.1fx%n", jobRate / naiveRate);
		// Counted by the SDK on every attempt sent (AwsRequestCounter), not estimated.
		System.out.printf("requests of postingestResendJob, per 1,000 rows resent:%n%s",
				jobRequests.perThousand(step.getWriteCount(), "  "));
		System.out.printf("requests of the loop, per 1,000 rows resent:%n%s", naiveRequests.perThousand(naive, "  "));
		System.out.printf("requests per row: job %.3f, loop %.3f: %.1fx fewer%n",
				jobRequests.total() / (double) step.getWriteCount(), naiveRequests.total() / (double) naive,
				(naiveRequests.total() / (double) naive) / (jobRequests.total() / (double) step.getWriteCount()));
		dynamoDb.close();
		dynamoDbAsync.close();
		sqs.close();
		System.exit(0);
	}

	/** Runs {@code postingestResendJob} as of {@code asOf} and checks what it resent. */
	private static StepExecution resend(ConfigurableApplicationContext context, Instant asOf, int expected)
			throws Exception {
		JobExecution execution = context.getBean(JobOperator.class)
			.start(context.getBean("postingestResendJob", Job.class),
					new JobParametersBuilder().addString("asOf", asOf.toString()).toJobParameters());
		StepExecution step = execution.getStepExecutions().iterator().next();
		if (execution.getStatus() != BatchStatus.COMPLETED || step.getWriteCount() != expected) {
			throw new IllegalStateException("The job did not resend every stale row: " + execution.getStatus() + ", "
					+ step.getWriteCount() + " written, " + expected + " expected");
		}
		return step;
	}

	static int naiveLoop(DynamoDbClient dynamoDb, SqsClient sqs, String queueUrl, Instant cutoff) {
		int count = 0;
		Map<String, AttributeValue> start = null;
		do {
			QueryResponse page = dynamoDb.query(QueryRequest.builder()
				.tableName(TABLE)
				.indexName(INDEX)
				.keyConditionExpression("#q = :alias AND lastQueued < :cutoff")
				.expressionAttributeNames(Map.of("#q", "queue"))
				.expressionAttributeValues(Map.of(":alias", AttributeValue.fromS("CC"), ":cutoff",
						AttributeValue.fromS(cutoff.toString())))
				.exclusiveStartKey(start)
				.build());
			for (Map<String, AttributeValue> item : page.items()) {
				String body = "{\"assetId\":\"" + item.get("assetId").s() + "\",\"batchId\":\""
						+ item.get("batchId").s() + "\",\"resultAttrName\":\"ingested_CC\",\"payload\":"
						+ item.get("input").s() + "}";
				sqs.sendMessage((b) -> b.queueUrl(queueUrl).messageBody(body));
				dynamoDb.updateItem((b) -> b.tableName(TABLE)
					.key(Map.of("assetId", item.get("assetId"), "batchId", item.get("batchId")))
					.updateExpression("SET lastQueued = :now")
					.conditionExpression("#q = :alias")
					.expressionAttributeNames(Map.of("#q", "queue"))
					.expressionAttributeValues(Map.of(":now", AttributeValue.fromS(Instant.now().toString()), ":alias",
							AttributeValue.fromS("CC"))));
				count++;
			}
			start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
		}
		while (start != null);
		return count;
	}

	/** Puts rows [from, to): the first {@code stale} are older than 14 days. */
	static void load(DynamoDbAsyncClient dynamoDb, int rows, int stale, Instant now, int from, int to)
			throws InterruptedException {
		Semaphore inFlight = new Semaphore(16);
		List<CompletableFuture<?>> calls = new ArrayList<>();
		List<WriteRequest> batch = new ArrayList<>();
		for (int i = from; i < to; i++) {
			Instant lastQueued = (i < stale) ? now.minus(Duration.ofDays(30)).plusSeconds(i)
					: now.minus(Duration.ofDays(1)).plusMillis(i);
			batch.add(WriteRequest.builder()
				.putRequest(PutRequest.builder()
					.item(Map.of("assetId", AttributeValue.fromS(String.format("asset-%06d", i)), "batchId",
							AttributeValue.fromS("TDR_bench"), "input",
							AttributeValue.fromS("{\"preservationSystemId\":\"ps-" + i + "\"}"), "queue",
							AttributeValue.fromS("CC"), "firstQueued", AttributeValue.fromS(lastQueued.toString()),
							"lastQueued", AttributeValue.fromS(lastQueued.toString())))
					.build())
				.build());
			if (batch.size() == 25 || i == to - 1) {
				List<WriteRequest> requests = List.copyOf(batch);
				batch.clear();
				inFlight.acquire();
				calls.add(write(dynamoDb, Map.of(TABLE, requests)).whenComplete((r, e) -> inFlight.release()));
			}
		}
		CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
	}

	private static CompletableFuture<Void> write(DynamoDbAsyncClient dynamoDb,
			Map<String, List<WriteRequest>> requests) {
		return dynamoDb.batchWriteItem((b) -> b.requestItems(requests)).thenCompose((response) -> {
			if (response.hasUnprocessedItems() && !response.unprocessedItems().isEmpty()) {
				return write(dynamoDb, response.unprocessedItems());
			}
			return CompletableFuture.completedFuture(null);
		});
	}

	static void createTable(DynamoDbClient dynamoDb) {
		dynamoDb.createTable((b) -> b.tableName(TABLE)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(string("assetId"), string("batchId"), string("queue"), string("lastQueued"))
			.keySchema(key("assetId", KeyType.HASH), key("batchId", KeyType.RANGE))
			.globalSecondaryIndexes(GlobalSecondaryIndex.builder()
				.indexName(INDEX)
				.keySchema(key("queue", KeyType.HASH), key("lastQueued", KeyType.RANGE))
				.projection(Projection.builder().projectionType(ProjectionType.ALL).build())
				.build()));
	}

	static int messages(SqsClient sqs, String queueUrl) {
		return Integer.parseInt(sqs
			.getQueueAttributes(
					(b) -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
			.attributes()
			.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
	}

	private static AttributeDefinition string(String name) {
		return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
	}

	private static KeySchemaElement key(String name, KeyType type) {
		return KeySchemaElement.builder().attributeName(name).keyType(type).build();
	}

	/**
	 * The jobs on the emulators' endpoints, with an in-memory H2 job repository.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(PostingestJobsConfiguration.class)
	static class BenchApplication {

		@Bean(destroyMethod = "close")
		DynamoDbClient dynamoDbClient(org.springframework.core.env.Environment environment) {
			return EmulatorClients.client(DynamoDbClient.builder(), environment.getRequiredProperty("bench.dynamodb"));
		}

		@Bean(destroyMethod = "close")
		DynamoDbAsyncClient dynamoDbAsyncClient(org.springframework.core.env.Environment environment) {
			return EmulatorClients.client(DynamoDbAsyncClient.builder(),
					environment.getRequiredProperty("bench.dynamodb"));
		}

		@Bean(destroyMethod = "close")
		SqsAsyncClient sqsAsyncClient(org.springframework.core.env.Environment environment) {
			return EmulatorClients.client(SqsAsyncClient.builder(), environment.getRequiredProperty("bench.sqs"));
		}

		@Bean(destroyMethod = "close")
		SnsClient snsClient(org.springframework.core.env.Environment environment) {
			// The resend publishes nothing (no server at the default); the sweep's writer
			// bean still wants a client.
			return EmulatorClients.client(SnsClient.builder(),
					environment.getProperty("bench.sns", "http://127.0.0.1:9"));
		}

	}

}
