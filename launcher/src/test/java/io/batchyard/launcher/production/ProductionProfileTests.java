package io.batchyard.launcher.production;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.batchyard.launcher.BatchyardApplication;
import io.batchyard.launcher.cli.CommandLine;
import io.batchyard.test.DynamoDbLocalServer;
import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.EmbeddedPostgresServer;
import io.batchyard.test.EmulatorClients;
import io.batchyard.test.FreePorts;
import io.batchyard.test.SnsQueryServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code production} profile as an operator starts it: on the embedded PostgreSQL,
 * with the AWS endpoints pointed at the test servers through
 * {@code spring.cloud.aws.*.endpoint} and the credentials and region found by the AWS
 * SDK's default chains (here their system-property links, {@code aws.accessKeyId},
 * {@code aws.secretAccessKey}, {@code aws.region}; on a real node the environment or the
 * instance role). Only the main configuration is read (the test configuration under
 * {@code config/} would add users and static credentials).
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductionProfileTests {

	/** The encoded {@code operator-secret} (as in the test configuration). */
	private static final String OPERATOR_PASSWORD = "{bcrypt}$2a$10$gsS.lMh4hR20.FRv7Gu8RuDVAcmn0dEHrbpFa62HLs9BmlBGNAQfy";

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	private final HttpClient http = HttpClient.newHttpClient();

	private SnsQueryServer sns;

	@BeforeEach
	void defaultChain() {
		System.setProperty("aws.accessKeyId", "local");
		System.setProperty("aws.secretAccessKey", "local");
		System.setProperty("aws.region", "eu-west-2");
	}

	@AfterEach
	void clearDefaultChain() {
		System.clearProperty("aws.accessKeyId");
		System.clearProperty("aws.secretAccessKey");
		System.clearProperty("aws.region");
		if (this.sns != null) {
			this.sns.close();
		}
	}

	@Test
	void startsHealthyOnPostgresqlAndTheOperatorsEndpointsWithoutAnyEmulator() throws Exception {
		this.sns = SnsQueryServer.start();
		String launchQueue = "prod-launch-" + this.run;
		List<String> confirmers = new ArrayList<>();
		try (SqsClient sqs = EmulatorClients.client(SqsClient.builder(), ElasticMqServer.endpoint())) {
			// Queues are infrastructure in production (create-queues=false): the operator
			// creates them before the first node starts.
			for (String queue : List.of(launchQueue, launchQueue + "-dlq", "prod-completion-" + this.run)) {
				sqs.createQueue((request) -> request.queueName(queue));
			}
			for (String queue : List.of("prod-cc-" + this.run, "prod-tc-" + this.run)) {
				confirmers.add(sqs.createQueue((request) -> request.queueName(queue)).queueUrl());
			}
		}

		try (ConfigurableApplicationContext context = application()
			.run(production("--spring.datasource.url=" + EmbeddedPostgresServer.newDatabaseUrl(),
					"--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
					"--batchyard.security.users.ops.password=" + OPERATOR_PASSWORD,
					"--batchyard.security.users.ops.roles=OPERATOR",
					"--spring.cloud.aws.sqs.endpoint=" + ElasticMqServer.endpoint(),
					"--spring.cloud.aws.dynamodb.endpoint=" + DynamoDbLocalServer.endpoint(),
					"--spring.cloud.aws.sns.endpoint=" + this.sns.endpoint(),
					"--batchyard.launcher.sqs.launch-queue=" + launchQueue, "--batchyard.launcher.sqs.poll-timeout=1s",
					"--batchyard.jobs.manifest-update.queue=prod-completion-" + this.run,
					"--batchyard.jobs.postingest.topic-arn=arn:aws:sns:eu-west-2:123456789012:postingest",
					"--batchyard.jobs.postingest.queues[0].queue-alias=CC",
					"--batchyard.jobs.postingest.queues[0].queue-order=1",
					"--batchyard.jobs.postingest.queues[0].queue-url=" + confirmers.get(0),
					"--batchyard.jobs.postingest.queues[1].queue-alias=TC",
					"--batchyard.jobs.postingest.queues[1].queue-order=2",
					"--batchyard.jobs.postingest.queues[1].queue-url=" + confirmers.get(1)))) {
			String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");

			assertThat(get(base + "/actuator/health", null)).extracting(HttpResponse::statusCode).isEqualTo(200);
			HttpResponse<String> readiness = get(base + "/actuator/health/readiness", null);
			assertThat(readiness.statusCode()).isEqualTo(200);
			assertThat(readiness.body()).contains("\"status\":\"UP\"");
			assertThat(get(base + "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
			assertThat(context.getBean(HealthEndpointGroups.class).get("readiness").isMember("db")).isTrue();
			assertThat(get(base + "/api/jobs", null).statusCode()).isEqualTo(401);
			assertThat(get(base + "/api/jobs", "ops:operator-secret").statusCode()).isEqualTo(200);

			// No emulator and nothing of the embedded profile.
			assertThat(context.getEnvironment().getActiveProfiles()).containsExactly("production");
			assertThat(context.getBeanNamesForType(Class.forName("io.batchyard.launcher.embedded.EmbeddedEmulator",
					false, getClass().getClassLoader())))
				.isEmpty();
			assertThat(context.containsBean("localDlcsController")).isFalse();
			assertThat(context.getEnvironment().getProperty("batchyard.enhancements.storage.region")).isEmpty();
			try (var connection = context.getBean(DataSource.class).getConnection()) {
				assertThat(connection.getMetaData().getURL()).startsWith("jdbc:postgresql://");
			}

			// Every AWS client on the operator's endpoints, with the default chain's
			// credentials and region: a launch message on the operator's queue runs.
			try (SqsClient sqs = EmulatorClients.client(SqsClient.builder(), ElasticMqServer.endpoint())) {
				String url = sqs.getQueueUrl((request) -> request.queueName(launchQueue)).queueUrl();
				sqs.sendMessage((request) -> request.queueUrl(url)
					.messageBody(
							"{\"job\":\"repositoryPurgeJob\",\"parameters\":{\"asOf\":\"2026-11-23T00:00:00Z\"}}"));
			}
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(jdbc.queryForList("SELECT e.STATUS FROM BATCH_JOB_EXECUTION e"
						+ " JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID"
						+ " WHERE i.JOB_NAME = 'repositoryPurgeJob'", String.class))
					.containsExactly("COMPLETED"));
			String table = "prod-" + this.run;
			context.getBean(DynamoDbClient.class)
				.createTable((request) -> request.tableName(table)
					.billingMode("PAY_PER_REQUEST")
					.attributeDefinitions((attribute) -> attribute.attributeName("id").attributeType("S"))
					.keySchema((key) -> key.attributeName("id").keyType("HASH")));
			try (DynamoDbClient dynamoDb = EmulatorClients.client(DynamoDbClient.builder(),
					DynamoDbLocalServer.endpoint())) {
				assertThat(dynamoDb.listTables().tableNames()).contains(table);
			}
			context.getBean(SnsClient.class)
				.publish((request) -> request.topicArn("arn:aws:sns:eu-west-2:123456789012:t").message("hello"));
			assertThat(this.sns.published()).singleElement()
				.satisfies((published) -> assertThat(published.get("Message")).isEqualTo("hello"));
		}
	}

	@Test
	void refusesToStartWithoutADatasourceNamingIt(CapturedOutput output) {
		assertThatExceptionOfType(MissingSettingException.class)
			.isThrownBy(
					() -> application().run(production("--batchyard.security.users.ops.password=" + OPERATOR_PASSWORD,
							"--batchyard.security.users.ops.roles=OPERATOR")))
			.satisfies((refused) -> assertThat(refused.getProperty()).isEqualTo("spring.datasource.url"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("No datasource: spring.datasource.url is not set")
			.contains("Set SPRING_DATASOURCE_URL")
			.doesNotContain("at io.batchyard.launcher");
	}

	@Test
	void refusesToStartWithoutAUserNamingTheProperty(CapturedOutput output) {
		// Never reached: the refusal comes before any connection.
		String database = "--spring.datasource.url=jdbc:postgresql://127.0.0.1:9/batchyard";

		assertThatExceptionOfType(MissingSettingException.class)
			.isThrownBy(() -> application().run(production(database)))
			.satisfies((refused) -> assertThat(refused.getProperty())
				.isEqualTo("batchyard.security.users.<name>.password"));
		// A bearer token alone is no user: the dashboard would have no login.
		assertThatExceptionOfType(MissingSettingException.class).isThrownBy(() -> application().run(production(database,
				"--batchyard.security.tokens.ci.sha256=c6aaf2f45c7c3f9122951df498cbc3b193732237ca23d1e512f648cd99d1a6cb")))
			.satisfies((refused) -> assertThat(refused.getProperty())
				.isEqualTo("batchyard.security.users.<name>.password"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("No users configured: set batchyard.security.users.<name>.password")
			.contains("BATCHYARD_SECURITY_USERS_<NAME>_PASSWORD")
			.doesNotContain("at io.batchyard.launcher");
	}

	@Test
	void neverStartsAnEmbeddedEmulator() throws Exception {
		int port = FreePorts.next();
		String[] configured = { "--spring.datasource.url=jdbc:postgresql://127.0.0.1:9/batchyard",
				"--batchyard.security.users.ops.password=" + OPERATOR_PASSWORD };

		assertThatExceptionOfType(MissingSettingException.class)
			.isThrownBy(() -> application().run(production(concat(configured, "--batchyard.embedded.sqs.enabled=true",
					"--batchyard.embedded.sqs.port=" + port))))
			.satisfies((refused) -> assertThat(refused.getProperty()).isEqualTo("batchyard.embedded.sqs.enabled"));
		// Refused before the emulator could bind its port.
		try (ServerSocket free = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
			assertThat(free.getLocalPort()).isEqualTo(port);
		}
		assertThatExceptionOfType(MissingSettingException.class).isThrownBy(
				() -> application().run(concat(production(configured), "--spring.profiles.active=production,embedded")))
			.satisfies((refused) -> assertThat(refused.getProperty()).isEqualTo("spring.profiles.active"));
	}

	@Test
	void theCommandLineNeedsADatasourceButNoUser(CapturedOutput output) {
		// An installation without the postingest jobs (on, they need their queues).
		String[] command = { "help", "--spring.config.location=classpath:/", "--spring.profiles.active=production",
				"--batchyard.jobs.postingest.enabled=false" };

		// 2: the command was refused.
		assertThat(CommandLine.run(BatchyardApplication.class, command)).isEqualTo(2);
		assertThat(output.getErr()).contains("batchyard: No datasource: spring.datasource.url is not set");

		assertThat(
				CommandLine.run(BatchyardApplication.class,
						concat(command, "--spring.datasource.url=" + EmbeddedPostgresServer.newDatabaseUrl(),
								"--spring.datasource.username=postgres", "--spring.datasource.password=postgres")))
			.isZero();
		assertThat(output.getOut()).contains("repositoryPurgeJob");
	}

	private static SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(BatchyardApplication.class);
	}

	/**
	 * The profile with nothing but the main configuration, a free port and the given
	 * settings. The scheduler is off so that no schedule fires on the minute while a test
	 * runs.
	 */
	private static String[] production(String... settings) {
		return concat(new String[] { "--spring.config.location=classpath:/", "--spring.profiles.active=production",
				"--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
				"--batchyard.scheduler.enabled=false" }, settings);
	}

	private static String[] concat(String[] first, String... more) {
		String[] all = Arrays.copyOf(first, first.length + more.length);
		System.arraycopy(more, 0, all, first.length, more.length);
		return all;
	}

	private HttpResponse<String> get(String url, String basic) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
		if (basic != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
