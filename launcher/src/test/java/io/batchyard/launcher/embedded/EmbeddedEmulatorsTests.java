package io.batchyard.launcher.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default: the application starts ElasticMQ and DynamoDB Local in its own
 * process, creates the launch queue (and the image upload queue) on ElasticMQ before
 * listening to it, and stops both when it closes.
 */
class EmbeddedEmulatorsTests {

	@Test
	void startsBothEmulatorsOnTheirPortsAndStopsThemOnClose(@TempDir Path dynamoDbPath) {
		int sqsPort = FreePorts.next();
		int dynamoDbPort = FreePorts.next();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BatchyardApplication.class).run(
				// The shipped embedded profile, with only ports, paths and the database
				// moved.
				"--spring.profiles.active=embedded", "--server.port=0",
				"--spring.datasource.url=jdbc:h2:mem:embedded-" + sqsPort + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL",
				"--batchyard.embedded.sqs.port=" + sqsPort, "--batchyard.embedded.dynamodb.port=" + dynamoDbPort,
				"--batchyard.embedded.dynamodb.db-path=" + dynamoDbPath, "--batchyard.launcher.sqs.enabled=true",
				"--batchyard.launcher.sqs.poll-timeout=1s")) {
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
		await().atMost(Duration.ofSeconds(10)).until(() -> isFree(sqsPort) && isFree(dynamoDbPort));
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
