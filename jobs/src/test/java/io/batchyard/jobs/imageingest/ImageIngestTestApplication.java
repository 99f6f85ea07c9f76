package io.batchyard.jobs.imageingest;

import java.net.URI;

import io.batchyard.test.ElasticMqServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@code imageIngestJob} alone, on the jobs module's H2 repository (or PostgreSQL), with
 * ElasticMQ for SQS.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ImageIngestJobConfiguration.class)
public class ImageIngestTestApplication {

	static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider
		.create(AwsBasicCredentials.create("local", "local"));

	@Bean(destroyMethod = "close")
	SqsAsyncClient sqsAsyncClient() {
		return SqsAsyncClient.builder()
			.endpointOverride(URI.create(ElasticMqServer.endpoint()))
			.region(Region.US_EAST_1)
			.credentialsProvider(CREDENTIALS)
			.build();
	}

	static SqsClient sqs() {
		return SqsClient.builder()
			.endpointOverride(URI.create(ElasticMqServer.endpoint()))
			.region(Region.US_EAST_1)
			.credentialsProvider(CREDENTIALS)
			.build();
	}

}
