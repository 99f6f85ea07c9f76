package io.batchyard.launcher.trigger.schedule;

import java.time.Clock;

import io.batchyard.jobs.housekeeping.HousekeepingProperties;
import io.batchyard.launcher.catalogue.JobCatalogue;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.runner.RunnerNode;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ScheduleProperties.class)
class ScheduleConfiguration {

	@Bean
	ScheduledLaunches scheduledLaunches(ScheduleProperties properties, JobLaunchService launchService,
			JdbcTemplate jdbcTemplate, RunnerNode node, TaskScheduler taskScheduler, Clock clock,
			HousekeepingProperties housekeeping) {
		return new ScheduledLaunches(properties, launchService,
				new ScheduleFireLedger(jdbcTemplate, housekeeping.retention()), node, taskScheduler, clock);
	}

	@Bean
	ScheduleCheck scheduleCheck(ScheduleProperties properties, JobCatalogue jobCatalogue, Clock clock) {
		return new ScheduleCheck(properties, jobCatalogue, clock);
	}

}
