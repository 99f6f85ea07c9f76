package io.batchyard.launcher.enhancements;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;

import javax.sql.DataSource;

import io.batchyard.jobs.enhancement.EnhancementRequests;
import io.batchyard.jobs.enhancement.EnhancementsProperties;
import io.batchyard.jobs.enhancement.RobotBatches;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.readers.blob.BlobStorageSettings;
import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.blob.BlobUrlSigner;
import io.batchyard.readers.blob.LocalBlobUrlSigner;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;

/**
 * The requester and robot API's services: requests, robot batches and the signed URLs of
 * their blobs (S3 presigned URLs, or this application's own over the local directory).
 * Not conditional on a web application: the controllers that use them are components of
 * every context, the command line's included.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ RobotsProperties.class, EnhancementsProperties.class })
class EnhancementsWebConfiguration {

	@Bean
	EnhancementRequests enhancementRequests(DataSource dataSource, PlatformTransactionManager transactionManager) {
		return new EnhancementRequests(new JdbcTemplate(dataSource), new TransactionTemplate(transactionManager),
				Clock.systemUTC());
	}

	@Bean
	RobotBatches robotBatches(DataSource dataSource, PlatformTransactionManager transactionManager,
			BlobStore enhancementBlobStore) {
		return new RobotBatches(new JdbcTemplate(dataSource), new TransactionTemplate(transactionManager),
				enhancementBlobStore, JsonMapper.shared(), Clock.systemUTC());
	}

	@Bean
	RobotBatchStates robotBatchStates(JobRepository jobRepository, JobLaunchService launchService) {
		return new RobotBatchStates(jobRepository, launchService);
	}

	@Bean
	RobotNonces robotNonces(DataSource dataSource) {
		return new RobotNonces(new JdbcTemplate(dataSource), Clock.systemUTC());
	}

	@Bean
	BlobUrlSigner enhancementUrlSigner(EnhancementsProperties properties,
			@Value("${batchyard.enhancements.public-url:http://localhost:${server.port:8080}}") URI publicUrl,
			@Value("${batchyard.enhancements.url-signing-key:}") String signingKey) {
		EnhancementsProperties.Storage storage = properties.storage();
		if (storage.type() == BlobStorageSettings.Type.LOCAL) {
			byte[] key;
			if (StringUtils.hasText(signingKey)) {
				key = signingKey.getBytes(StandardCharsets.UTF_8);
			}
			else {
				// URLs signed before a restart stop working; robots refresh them with
				// GET.
				key = new byte[32];
				new SecureRandom().nextBytes(key);
			}
			return LocalBlobUrlSigner.builder().base(publicUrl.resolve("/blobs/")).key(key).build();
		}
		return storage.s3UrlSigner();
	}

}
