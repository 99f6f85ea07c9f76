package io.batchyard.launcher.partition;

import io.awspring.cloud.sqs.integration.SqsMessageHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.awspring.cloud.sqs.listener.QueueNotFoundStrategy;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import tools.jackson.databind.json.JsonMapper;

import io.batchyard.jobs.partition.PartitionRequestJson;
import io.batchyard.jobs.partition.PartitionSteps;
import io.batchyard.jobs.partition.PartitionWorker;
import io.batchyard.jobs.partition.PartitioningProperties;
import io.batchyard.launcher.runner.RunnerProperties;
import io.batchyard.launcher.trigger.sqs.SqsTriggerProperties;

import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.MessageChannel;

/**
 * Remote partitioning over SQS. Every node sends the requests of the partitioned steps it
 * manages through {@code partitionRequests} to the partition queue (JSON bodies, through
 * Spring Cloud AWS's {@link SqsMessageHandler}); a worker node
 * ({@code batchyard.runner.worker=true}, the default, on the server) also listens to the
 * queue. No reply queue: managers poll the job repository.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "batchyard.partitioning.mode", havingValue = "remote")
@EnableConfigurationProperties({ PartitioningProperties.class, SqsTriggerProperties.class })
class PartitionTransportConfiguration {

	@Bean(PartitionSteps.REQUESTS_CHANNEL)
	MessageChannel partitionRequests() {
		return new DirectChannel();
	}

	@Bean
	PartitionRequestJson partitionRequestJson(ObjectProvider<JsonMapper> jsonMapper) {
		return new PartitionRequestJson(jsonMapper.getIfAvailable(JsonMapper::shared));
	}

	/**
	 * Requests to the queue. A fresh message carries only the JSON body: the partition
	 * handler's headers (sequence, correlation) mean nothing to a worker.
	 */
	@Bean
	IntegrationFlow partitionRequestsToSqs(MessageChannel partitionRequests, SqsAsyncClient sqs,
			PartitionRequestJson partitionRequestJson, PartitioningProperties properties) {
		SqsTemplate template = SqsTemplate.builder()
			.sqsAsyncClient(sqs)
			// A missing queue is a deployment error: never create one without its
			// dead-letter queue.
			.configure((options) -> options.queueNotFoundStrategy(QueueNotFoundStrategy.FAIL))
			// No "JavaType" attribute: the body is JSON, read as such.
			.configureDefaultConverter((converter) -> converter.doNotSendPayloadTypeHeader())
			.build();
		SqsMessageHandler handler = new SqsMessageHandler(template);
		handler.setQueue(properties.queue());
		return IntegrationFlow.from(partitionRequests)
			.transform(StepExecutionRequest.class,
					(request) -> MessageBuilder.withPayload(partitionRequestJson.write(request)).build())
			.handle(handler)
			.get();
	}

	@Bean
	PartitionQueueListener partitionQueueListener(SqsAsyncClient sqs, PartitioningProperties properties,
			SqsTriggerProperties sqsProperties, RunnerProperties runner, IntegrationFlowContext flowContext,
			PartitionWorker partitionWorker, PartitionRequestJson partitionRequestJson, MeterRegistry meterRegistry) {
		boolean listens = runner.worker() && !runner.isCommandLine();
		return new PartitionQueueListener(sqs, properties, sqsProperties, flowContext,
				new PartitionRequestHandler(partitionWorker, partitionRequestJson, properties.queue(), meterRegistry),
				listens);
	}

}
