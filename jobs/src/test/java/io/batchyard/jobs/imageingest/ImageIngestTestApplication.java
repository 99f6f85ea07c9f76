package io.batchyard.jobs.imageingest;

import io.batchyard.test.EmulatorClients;
import io.batchyard.test.ElasticMqServer;
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

	@Bean(destroyMethod = "close")
	SqsAsyncClient sqsAsyncClient() {
		return EmulatorClients.client(SqsAsyncClient.builder(), ElasticMqServer.endpoint());
	}

	static SqsClient sqs() {
		return EmulatorClients.client(SqsClient.builder(), ElasticMqServer.endpoint());
	}

}
