package io.batchyard.launcher.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.batchyard.launcher.BatchyardApplication;
import io.batchyard.test.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default: the application starts ElasticMQ, DynamoDB Local and the SNS
 * stand-in in its own process, in parallel and from the moment its context exists,
 * creates the launch queue (and the image upload queue) on ElasticMQ before listening to
 * it, loads the sample data once it is ready, and stops the emulators when it closes.
 */
class EmbeddedEmulatorsTests {

	@Test
	void startsTheEmulatorsInParallelWithTheContextOnTheirPortsAndStopsThemOnClose(@TempDir Path dynamoDbPath,
			@TempDir Path sqsPath, @TempDir Path blobs) {
		int sqsPort = FreePorts.next();
		int dynamoDbPort = FreePorts.next();
		int snsPort = FreePorts.next();
		BufferingApplicationStartup startup = new BufferingApplicationStartup(10_000);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BatchyardApplication.class)
			.applicationStartup(startup)
			.run(
					// The shipped embedded profile, with only ports, paths and the
					// database
					// moved.
					"--spring.profiles.active=embedded", "--server.port=0",
					"--spring.datasource.url=jdbc:h2:mem:embedded-" + sqsPort + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL",
					"--batchyard.embedded.sqs.port=" + sqsPort, "--batchyard.embedded.sqs.db-path=" + sqsPath,
					"--batchyard.embedded.dynamodb.port=" + dynamoDbPort,
					"--batchyard.embedded.dynamodb.db-path=" + dynamoDbPath, "--batchyard.embedded.sns.port=" + snsPort,
					"--batchyard.embedded.manifest-update.sample-data="
							+ Path.of("../sample-data/manifest-update").toAbsolutePath().normalize(),
					"--batchyard.jobs.manifest-update.storage.directory=" + blobs,
					"--batchyard.launcher.sqs.enabled=true", "--batchyard.launcher.sqs.poll-timeout=1s")) {
			List<StartupStep> steps = steps(startup);
			StartupStep parse = step(steps, "spring.context.config-classes.parse");
			StartupStep await = step(steps, EmbeddedStartup.AWAIT_STEP);
			List<StartupStep> emulators = steps.stream()
				.filter((step) -> step.name().equals(EmbeddedStartup.STEP)
						&& step.tag("task").contains(" on 127.0.0.1:"))
				.toList();
			// Each emulator started before the configuration was even parsed, not when
			// its first client bean was made, one after the other.
			assertThat(emulators).extracting((step) -> step.tag("task"))
				.containsExactlyInAnyOrder("ElasticMQ (SQS) on 127.0.0.1:" + sqsPort,
						"DynamoDB Local on 127.0.0.1:" + dynamoDbPort, "SNS stand-in on 127.0.0.1:" + snsPort);
			assertThat(emulators).allSatisfy((step) -> assertThat(step.start()).isBefore(parse.end()));
			// What is created on them was done before the context stopped waiting, and
			// the web server and listeners start after that.
			assertThat(steps).filteredOn((step) -> step.name().equals(EmbeddedStartup.STEP))
				.extracting((step) -> step.tag("task"))
				.contains("image upload queue");
			assertThat(steps).filteredOn((step) -> step.name().equals(EmbeddedStartup.STEP))
				.allSatisfy((step) -> assertThat(step.end()).isBeforeOrEqualTo(await.end()));
			// The sample data is loaded once the application is ready, off its start-up.
			Instant ready = step(steps, "spring.boot.application.ready").start();
			List<StartupStep> samples = await().atMost(Duration.ofSeconds(30))
				.until(() -> steps(startup).stream()
					.filter((step) -> step.name().equals(SampleDataLoading.STEP))
					.toList(), (loaded) -> loaded.size() == 2);
			assertThat(samples).extracting((step) -> step.tag("sample"))
				.containsExactly("manifest-update", "enhancement references");
			assertThat(samples).allSatisfy((step) -> assertThat(step.start()).isAfterOrEqualTo(ready));
			assertThat(new JdbcTemplate(context.getBean(DataSource.class)).queryForList("SELECT id FROM manifests",
					String.class))
				.containsExactly("sample-manifest");

			// The application's own client: its endpoint is the embedded port, and the
			// launch queue was created with its dead-letter queue before listening.
			SqsAsyncClient sqs = context.getBean(SqsAsyncClient.class);
			List<String> queues = sqs.listQueues().join().queueUrls();
			assertThat(queues).anySatisfy((url) -> assertThat(url).endsWith("/batchyard-launch"))
				.anySatisfy((url) -> assertThat(url).endsWith("/batchyard-launch-dlq"))
				// imageIngestJob's queue, so a batch submitted on a fresh start can
				// announce its images.
				.anySatisfy((url) -> assertThat(url).endsWith("/image_upload"))
				.allSatisfy((url) -> assertThat(url).startsWith("http://127.0.0.1:" + sqsPort + "/"));

			try (DynamoDbClient app = dynamoDb(dynamoDbPort, "local", Region.US_EAST_1);
					DynamoDbClient cli = dynamoDb(dynamoDbPort, "SomeoneElse", Region.EU_WEST_1)) {
				app.createTable((request) -> request.tableName("emulator-check")
					.attributeDefinitions(AttributeDefinition.builder()
						.attributeName("id")
						.attributeType(ScalarAttributeType.S)
						.build())
					.keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
					.billingMode(BillingMode.PAY_PER_REQUEST));
				// -sharedDb: other credentials and another region see the same table
				// (DynamoDB Local 2 accepts only letters and digits in access keys).
				assertThat(cli.listTables().tableNames()).contains("emulator-check");
			}
			assertThat(dynamoDbPath.resolve("shared-local-instance.db")).isNotEmptyFile();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> isFree(sqsPort) && isFree(dynamoDbPort) && isFree(snsPort));
	}

	private static List<StartupStep> steps(BufferingApplicationStartup startup) {
		return startup.getBufferedTimeline()
			.getEvents()
			.stream()
			.map((event) -> new StartupStep(event.getStartupStep().getName(), tags(event.getStartupStep()),
					event.getStartTime(), event.getEndTime()))
			.toList();
	}

	private static Map<String, String> tags(org.springframework.core.metrics.StartupStep step) {
		Map<String, String> tags = new LinkedHashMap<>();
		step.getTags().forEach((tag) -> tags.put(tag.getKey(), tag.getValue()));
		return tags;
	}

	private static StartupStep step(List<StartupStep> steps, String name) {
		return steps.stream()
			.filter((step) -> step.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No start-up step " + name));
	}

	/** A recorded start-up step. */
	private record StartupStep(String name, Map<String, String> tags, Instant start, Instant end) {

		String tag(String key) {
			return this.tags.getOrDefault(key, "");
		}

	}

	private static DynamoDbClient dynamoDb(int port, String accessKey, Region region) {
		return DynamoDbClient.builder()
			.endpointOverride(URI.create("http://127.0.0.1:" + port))
			.region(region)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "local")))
			.httpClient(UrlConnectionHttpClient.create())
			.build();
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return socket.isBound();
		}
		catch (IOException ex) {
			return false;
		}
	}

}
