package io.batchyard.launcher.imagebatch;

import io.batchyard.jobs.imageingest.ImageBatches;
import io.batchyard.launcher.launch.JobLaunchService;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How image batches are shown, for the API and the dashboard alike (the dashboard's
 * controllers exist in every context, the API only in a servlet one).
 */
@Configuration(proxyBeanMethods = false)
class ImageBatchStatesConfiguration {

	@Bean
	ImageBatchStates imageBatchStates(ImageBatches imageBatches, JobRepository jobRepository,
			JobLaunchService launchService) {
		return new ImageBatchStates(imageBatches, jobRepository, launchService);
	}

}
