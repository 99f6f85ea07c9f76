package io.batchyard.jobs.partition;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.MessageChannel;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The partitioning of every partitioned step: imported by the configurations of the jobs
 * that partition.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PartitioningProperties.class)
public class PartitioningConfiguration {

	@Bean
	public PartitionSteps partitionSteps(JobRepository jobRepository, PartitioningProperties properties,
			@Qualifier(PartitionSteps.REQUESTS_CHANNEL) ObjectProvider<MessageChannel> partitionRequests) {
		MessageChannel requests = (properties.mode() == PartitioningProperties.Mode.REMOTE)
				? partitionRequests.getIfAvailable() : null;
		return new PartitionSteps(jobRepository, properties, requests);
	}

	@Bean
	public PartitionWorker partitionWorker(JobRepository jobRepository, PartitionSteps partitionSteps,
			ObjectProvider<PartitionClaims> claims, PlatformTransactionManager transactionManager) {
		return new PartitionWorker(jobRepository, partitionSteps, claims.getIfAvailable(() -> PartitionClaims.NONE),
				transactionManager);
	}

}
