package io.batchyard.jobs.postingest;

import java.net.URI;

import io.batchyard.test.DynamoDbLocalServer;
import io.batchyard.test.ElasticMqServer;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The postingest jobs on DynamoDB Local, ElasticMQ and the SNS Query-protocol endpoint of
 * {@link PostingestServers}, with the jobs module's H2 repository.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(PostingestJobsConfiguration.class)
public class PostingestTestApplication {

	static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider
		.create(AwsBasicCredentials.create("local", "local"));

	@Bean(destroyMethod = "close")
	DynamoDbClient dynamoDbClient() {
		return DynamoDbClient.builder()
			.endpointOverride(URI.create(DynamoDbLocalServer.endpoint()))
			.region(Region.US_EAST_1)
			.credentialsProvider(CREDENTIALS)
			.build();
	}

	@Bean(destroyMethod = "close")
	DynamoDbAsyncClient dynamoDbAsyncClient() {
		return DynamoDbAsyncClient.builder()
			.endpointOverride(URI.create(DynamoDbLocalServer.endpoint()))
			.region(Region.US_EAST_1)
			.credentialsProvider(CREDENTIALS)
			.build();
	}

	@Bean(destroyMethod = "close")
	SqsAsyncClient sqsAsyncClient() {
		return SqsAsyncClient.builder()
			.endpointOverride(URI.create(ElasticMqServer.endpoint()))
			.region(Region.US_EAST_1)
			.credentialsProvider(CREDENTIALS)
			.build();
	}

	@Bean(destroyMethod = "close")
	SnsClient snsClient() {
		return SnsClient.builder()
			.endpointOverride(URI.create(PostingestServers.sns().endpoint()))
			.region(Region.US_EAST_1)
			.credentialsProvider(CREDENTIALS)
			.build();
	}

}
