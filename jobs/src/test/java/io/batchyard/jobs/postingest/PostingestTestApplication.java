package io.batchyard.jobs.postingest;

import io.batchyard.test.EmulatorClients;
import io.batchyard.test.DynamoDbLocalServer;
import io.batchyard.test.ElasticMqServer;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
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

	@Bean(destroyMethod = "close")
	DynamoDbClient dynamoDbClient() {
		return EmulatorClients.client(DynamoDbClient.builder(), DynamoDbLocalServer.endpoint());
	}

	@Bean(destroyMethod = "close")
	DynamoDbAsyncClient dynamoDbAsyncClient() {
		return EmulatorClients.client(DynamoDbAsyncClient.builder(), DynamoDbLocalServer.endpoint());
	}

	@Bean(destroyMethod = "close")
	SqsAsyncClient sqsAsyncClient() {
		return EmulatorClients.client(SqsAsyncClient.builder(), ElasticMqServer.endpoint());
	}

	@Bean(destroyMethod = "close")
	SnsClient snsClient() {
		return EmulatorClients.client(SnsClient.builder(), PostingestServers.sns().endpoint());
	}

}
