package io.batchyard.launcher.manifestupdate;

import io.batchyard.launcher.launch.JobLaunchService;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How DLCS batches are shown, for the dashboard.
 */
@Configuration(proxyBeanMethods = false)
class DlcsBatchStatesConfiguration {

	@Bean
	DlcsBatchStates dlcsBatchStates(JobRepository jobRepository, JobLaunchService launchService) {
		return new DlcsBatchStates(jobRepository, launchService);
	}

}
