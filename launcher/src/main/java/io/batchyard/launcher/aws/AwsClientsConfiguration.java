package io.batchyard.launcher.aws;

import java.net.URI;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The DynamoDB and SNS clients the jobs use, with Spring Cloud AWS's region and
 * credentials ({@code spring.cloud.aws.region.*}, {@code spring.cloud.aws.credentials.*})
 * and an optional endpoint each ({@code spring.cloud.aws.dynamodb.endpoint},
 * {@code spring.cloud.aws.sns.endpoint}: the emulators of the embedded default). The SQS
 * client is Spring Cloud AWS's own. Only the SQS starter is on the class path: the
 * DynamoDB and SNS starters would bring clients of their own.
 */
@Configuration(proxyBeanMethods = false)
class AwsClientsConfiguration {

	private final AwsCredentialsProvider credentials;

	private final AwsRegionProvider region;

	AwsClientsConfiguration(AwsCredentialsProvider credentials, AwsRegionProvider region) {
		this.credentials = credentials;
		this.region = region;
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	DynamoDbClient dynamoDbClient(@Value("${spring.cloud.aws.dynamodb.endpoint:}") String endpoint) {
		return configure(DynamoDbClient.builder(), endpoint).build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	DynamoDbAsyncClient dynamoDbAsyncClient(@Value("${spring.cloud.aws.dynamodb.endpoint:}") String endpoint) {
		return configure(DynamoDbAsyncClient.builder(), endpoint).build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	SnsClient snsClient(@Value("${spring.cloud.aws.sns.endpoint:}") String endpoint) {
		return configure(SnsClient.builder(), endpoint).build();
	}

	private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String endpoint) {
		builder.credentialsProvider(this.credentials).region(this.region.getRegion());
		if (StringUtils.hasText(endpoint)) {
			builder.endpointOverride(URI.create(endpoint));
		}
		return builder;
	}

}
