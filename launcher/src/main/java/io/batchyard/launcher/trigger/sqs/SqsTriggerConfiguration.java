package io.batchyard.launcher.trigger.sqs;

import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import tools.jackson.databind.json.JsonMapper;

import io.batchyard.jobs.launch.QueueTrigger;
import io.batchyard.launcher.launch.JobLaunchService;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.dsl.context.IntegrationFlowContext;

/**
 * The SQS launch trigger: the generic launch queue, and a subscription to every
 * {@link QueueTrigger} bean (jobs add their own). Off on the command line
 * ({@code batchyard.launcher.sqs.enabled=false}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "batchyard.launcher.sqs.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(SqsTriggerProperties.class)
class SqsTriggerConfiguration {

	/** The name the launch queue's trigger has in logs, metrics and the dashboard. */
	static final String LAUNCH_TRIGGER = "launch";

	@Bean
	QueueTrigger launchQueueTrigger(SqsTriggerProperties properties, ObjectProvider<JsonMapper> jsonMapper) {
		return new QueueTrigger(LAUNCH_TRIGGER, properties.launchQueue(),
				new JsonLaunchMessageMapper(jsonMapper.getIfAvailable(JsonMapper::shared)));
	}

	@Bean
	TriggerActivity triggerActivity(MeterRegistry meterRegistry, Clock clock) {
		return new TriggerActivity(meterRegistry, clock);
	}

	@Bean
	QueueTriggerSubscriptions queueTriggerSubscriptions(ObjectProvider<QueueTrigger> triggers, SqsAsyncClient sqs,
			SqsTriggerProperties properties, IntegrationFlowContext flowContext, JobLaunchService launchService,
			TriggerActivity activity) {
		List<QueueTrigger> all = triggers.orderedStream().toList();
		return new QueueTriggerSubscriptions(all, sqs, properties, flowContext, launchService, activity);
	}

}
