package io.batchyard.launcher.catalogue;

import java.time.Clock;

import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.launch.QueueTrigger;
import io.batchyard.launcher.trigger.schedule.ScheduleProperties;
import io.batchyard.launcher.trigger.schedule.ScheduledLaunches;
import io.batchyard.launcher.trigger.sqs.TriggerActivity;

import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ ScheduleProperties.class, QueueDepthProperties.class })
class CatalogueConfiguration {

	@Bean
	JobCatalogue jobCatalogue(JobRegistry jobRegistry, ObjectProvider<JobDescription> descriptions, Clock clock) {
		return new JobCatalogue(jobRegistry, descriptions, clock);
	}

	@Bean
	JobTriggers jobTriggers(ScheduleProperties scheduleProperties, ObjectProvider<ScheduledLaunches> launches,
			ObjectProvider<QueueTrigger> queueTriggers, ObjectProvider<TriggerActivity> listening, Clock clock) {
		return new JobTriggers(scheduleProperties, launches, queueTriggers, listening, clock);
	}

	@Bean
	QueueDepths queueDepths(ObjectProvider<SqsAsyncClient> sqs, QueueDepthProperties properties, Clock clock) {
		return new QueueDepths(sqs, properties, clock);
	}

}
