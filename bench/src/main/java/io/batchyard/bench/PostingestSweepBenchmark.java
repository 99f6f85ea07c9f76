package io.batchyard.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import io.batchyard.test.AwsRequestCounter;
import io.batchyard.test.DynamoDbLocalServer;
import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.EmulatorClients;
import io.batchyard.test.SnsQueryServer;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code postingestSweepJob} against a one-call-per-action loop, on the same rows in the
 * same run: DynamoDB Local, ElasticMQ and an SNS Query endpoint in this process, a table
 * of {@code rows} rows of which {@code fresh} are new (no queue yet: each is sent to the
 * first queue, notified and updated) and the others wait on that queue (read and filtered
 * by both sides). The loop scans the table and, per new row, sends one
 * {@code SendMessage}, one {@code Publish} and one conditional {@code UpdateItem}. Prints
 * rows/s and the AWS requests each side sent per 1,000 rows changed, by service and
 * operation. Arguments: {@code [rows] [fresh] [chunkSize]} (default 20000 5000 100).
 */
public final class PostingestSweepBenchmark {

	static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:bench-postingest";

	private PostingestSweepBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		BenchArguments arguments = new BenchArguments("PostingestSweepBenchmark",
				"Usage: PostingestSweepBenchmark [rows, default 20000] [fresh rows, default 5000]"
						+ " [chunk size, default 100]",
				args, 3);
		int rows = arguments.count(0, "rows", 20_000, 1);
		int fresh = arguments.count(1, "fresh rows", 5_000, 0);
		int chunkSize = arguments.count(2, "chunk size", 100, 1);
		String dynamoEndpoint = DynamoDbLocalServer.endpoint();
		String sqsEndpoint = ElasticMqServer.endpoint();
		SnsQueryServer snsServer = SnsQueryServer.start();
		DynamoDbClient dynamoDb = EmulatorClients.client(DynamoDbClient.builder(), dynamoEndpoint);
		DynamoDbAsyncClient dynamoDbAsync = EmulatorClients.client(DynamoDbAsyncClient.builder(), dynamoEndpoint);
		SqsClient sqs = EmulatorClients.client(SqsClient.builder(), sqsEndpoint);
		SnsClient sns = EmulatorClients.client(SnsClient.builder(), snsServer.endpoint());
		String queueUrl = sqs.createQueue((b) -> b.queueName("bench-sweep-cc")).queueUrl();
		PostingestResendBenchmark.createTable(dynamoDb);
		Instant now = Instant.now();
		long loadStart = System.nanoTime();
		load(dynamoDbAsync, fresh, now, 0, rows);
		System.out.printf("Loaded %,d rows (%,d new) in %.1f s%n", rows, fresh, Stopwatch.seconds(loadStart));

		ConfigurableApplicationContext context = new SpringApplicationBuilder(
				PostingestResendBenchmark.BenchApplication.class)
			.run("--batchyard.jobs.postingest.queues[0].queue-alias=CC",
					"--batchyard.jobs.postingest.queues[0].queue-order=1",
					"--batchyard.jobs.postingest.queues[0].retention=14d",
					"--batchyard.jobs.postingest.queues[0].queue-url=" + queueUrl,
					"--batchyard.jobs.postingest.topic-arn=" + TOPIC,
					"--batchyard.jobs.postingest.chunk-size=" + chunkSize, "--bench.dynamodb=" + dynamoEndpoint,
					"--bench.sqs=" + sqsEndpoint, "--bench.sns=" + snsServer.endpoint());

		// Warm-up, not measured: both sides once over every row (the same JIT reason as
		// the resend benchmark's).
		sweep(context, now.minusSeconds(2), fresh);
		load(dynamoDbAsync, fresh, now, 0, fresh);
		naiveLoop(dynamoDb, sqs, sns, queueUrl);
		System.out.printf("Warm-up: both sides over %,d new rows%n", fresh);

		load(dynamoDbAsync, fresh, now, 0, fresh);
		sqs.purgeQueue((b) -> b.queueUrl(queueUrl));
		snsServer.clear();
		AwsRequestCounter.Counts beforeJob = AwsRequestCounter.snapshot();
		long jobStart = System.nanoTime();
		StepExecution step = sweep(context, now, fresh);
		double jobSeconds = Stopwatch.seconds(jobStart);
		AwsRequestCounter.Counts jobRequests = AwsRequestCounter.snapshot().since(beforeJob);
		int jobMessages = PostingestResendBenchmark.messages(sqs, queueUrl);
		int jobNotifications = snsServer.published().size();
		context.close();

		load(dynamoDbAsync, fresh, now, 0, fresh);
		sqs.purgeQueue((b) -> b.queueUrl(queueUrl));
		snsServer.clear();
		AwsRequestCounter.Counts beforeNaive = AwsRequestCounter.snapshot();
		long naiveStart = System.nanoTime();
		int naive = naiveLoop(dynamoDb, sqs, sns, queueUrl);
		double naiveSeconds = Stopwatch.seconds(naiveStart);
		AwsRequestCounter.Counts naiveRequests = AwsRequestCounter.snapshot().since(beforeNaive);
		int naiveMessages = PostingestResendBenchmark.messages(sqs, queueUrl);
		int naiveNotifications = snsServer.published().size();

		System.out.printf(
				"postingestSweepJob (chunk %d): %,d rows changed of %,d read in %.2f s = %,.0f rows/s"
						+ " (%,d messages, %,d notifications)%n",
				chunkSize, step.getWriteCount(), step.getReadCount(), jobSeconds, step.getWriteCount() / jobSeconds,
				jobMessages, jobNotifications);
		System.out.printf(
				"one-call-per-action loop:   %,d rows changed in %.2f s = %,.0f rows/s (%,d messages, %,d"
						+ " notifications)%n",
				naive, naiveSeconds, naive / naiveSeconds, naiveMessages, naiveNotifications);
		System.out.printf("ratio: %.1fx%n", (step.getWriteCount() / jobSeconds) / (naive / naiveSeconds));
		// Counted by the SDK on every attempt sent (AwsRequestCounter), not estimated.
		System.out.printf("requests of postingestSweepJob, per 1,000 rows changed:%n%s",
				jobRequests.perThousand(step.getWriteCount(), "  "));
		System.out.printf("requests of the loop, per 1,000 rows changed:%n%s", naiveRequests.perThousand(naive, "  "));
		double jobPerRow = jobRequests.total() / (double) step.getWriteCount();
		double naivePerRow = naiveRequests.total() / (double) naive;
		System.out.printf("requests per row: job %.3f, loop %.3f: %.1fx fewer%n", jobPerRow, naivePerRow,
				naivePerRow / jobPerRow);
		dynamoDb.close();
		dynamoDbAsync.close();
		sqs.close();
		sns.close();
		snsServer.close();
		System.exit(0);
	}

	/** Runs {@code postingestSweepJob} as of {@code asOf} and checks what it changed. */
	private static StepExecution sweep(ConfigurableApplicationContext context, Instant asOf, int expected)
			throws Exception {
		JobExecution execution = context.getBean(JobOperator.class)
			.start(context.getBean("postingestSweepJob", Job.class),
					new JobParametersBuilder().addString("asOf", asOf.toString()).toJobParameters());
		StepExecution step = execution.getStepExecutions().iterator().next();
		if (execution.getStatus() != BatchStatus.COMPLETED || step.getWriteCount() != expected) {
			throw new IllegalStateException("The sweep did not change every new row: " + execution.getStatus() + ", "
					+ step.getWriteCount() + " written, " + expected + " expected");
		}
		return step;
	}

	/**
	 * What the original stream lambda did per new row, one call per action, over a scan
	 * of the table.
	 */
	static int naiveLoop(DynamoDbClient dynamoDb, SqsClient sqs, SnsClient sns, String queueUrl) {
		int count = 0;
		Map<String, AttributeValue> start = null;
		do {
			ScanResponse page = dynamoDb.scan(
					ScanRequest.builder().tableName(PostingestResendBenchmark.TABLE).exclusiveStartKey(start).build());
			for (Map<String, AttributeValue> item : page.items()) {
				if (item.containsKey("queue")) {
					continue;
				}
				String body = "{\"assetId\":\"" + item.get("assetId").s() + "\",\"batchId\":\""
						+ item.get("batchId").s() + "\",\"resultAttrName\":\"ingested_CC\",\"payload\":"
						+ item.get("input").s() + "}";
				sqs.sendMessage((b) -> b.queueUrl(queueUrl).messageBody(body));
				sns.publish((b) -> b.topicArn(TOPIC)
					.message("{\"parameters\":{\"assetId\":\"" + item.get("assetId").s()
							+ "\",\"status\":\"Asset has been ingested to the Preservation System.\"}}"));
				String time = Instant.now().toString();
				dynamoDb.updateItem((b) -> b.tableName(PostingestResendBenchmark.TABLE)
					.key(Map.of("assetId", item.get("assetId"), "batchId", item.get("batchId")))
					.updateExpression("SET #q = :alias, firstQueued = :now, lastQueued = :now")
					.conditionExpression("attribute_exists(assetId) AND attribute_not_exists(#q)")
					.expressionAttributeNames(Map.of("#q", "queue"))
					.expressionAttributeValues(
							Map.of(":now", AttributeValue.fromS(time), ":alias", AttributeValue.fromS("CC"))));
				count++;
			}
			start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
		}
		while (start != null);
		return count;
	}

	/**
	 * Puts rows [from, to): the first {@code fresh} new (no queue), the others waiting on
	 * {@code CC} since a day ago, unconfirmed.
	 */
	static void load(DynamoDbAsyncClient dynamoDb, int fresh, Instant now, int from, int to)
			throws InterruptedException {
		Semaphore inFlight = new Semaphore(16);
		List<CompletableFuture<?>> calls = new ArrayList<>();
		List<WriteRequest> batch = new ArrayList<>();
		for (int i = from; i < to; i++) {
			Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of("assetId",
					AttributeValue.fromS(String.format("asset-%06d", i)), "batchId", AttributeValue.fromS("TDR_bench"),
					"input", AttributeValue.fromS("{\"preservationSystemId\":\"ps-" + i + "\"}")));
			if (i >= fresh) {
				String lastQueued = now.minus(Duration.ofDays(1)).plusMillis(i).toString();
				item.put("queue", AttributeValue.fromS("CC"));
				item.put("firstQueued", AttributeValue.fromS(lastQueued));
				item.put("lastQueued", AttributeValue.fromS(lastQueued));
			}
			batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
			if (batch.size() == 25 || i == to - 1) {
				List<WriteRequest> requests = List.copyOf(batch);
				batch.clear();
				inFlight.acquire();
				calls.add(write(dynamoDb, Map.of(PostingestResendBenchmark.TABLE, requests))
					.whenComplete((r, e) -> inFlight.release()));
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

}
