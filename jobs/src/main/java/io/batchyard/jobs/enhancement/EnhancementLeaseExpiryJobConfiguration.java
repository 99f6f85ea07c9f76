package io.batchyard.jobs.enhancement;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.support.ReferenceTime;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code enhancementLeaseExpiryJob}: moves pending enhancements whose lease ran out
 * before the run's reference time ({@code asOf}, or the schedule's {@code fireTime}) to
 * expired and re-queues them, at most {@code batchyard.enhancements.max-retry-count}
 * times, then fails them with a reason (DESTINY PRs #383, #403). One chunk step, paged by
 * id, so a restart resumes after the last committed chunk.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ EnhancementImportProperties.class, EnhancementsProperties.class })
public class EnhancementLeaseExpiryJobConfiguration {

	static final String JOB_NAME = "enhancementLeaseExpiryJob";

	private static final Clock CLOCK = Clock.systemUTC();

	@Bean
	public JobDescription enhancementLeaseExpiryJobDescription() {
		return ReferenceTime.declare(JobDescription.of(JOB_NAME,
				"Expires pending enhancements whose robot lease ran out before the reference time and re-queues"
						+ " them, up to batchyard.enhancements.max-retry-count times"))
			.build();
	}

	@Bean
	public Job enhancementLeaseExpiryJob(JobRepository jobRepository, Step expireLeasesStep,
			JobDescription enhancementLeaseExpiryJobDescription) {
		return new JobBuilder(JOB_NAME, jobRepository).validator(enhancementLeaseExpiryJobDescription.validator())
			.listener(new ImportFailureListener())
			.start(expireLeasesStep)
			.build();
	}

	@Bean
	public Step expireLeasesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcPagingItemReader<ExpiredLease> enhancementLeaseExpiryReader,
			LeaseExpiryWriter enhancementLeaseExpiryWriter, EnhancementImportProperties properties) {
		return new StepBuilder("expireLeasesStep", jobRepository)
			.<ExpiredLease, ExpiredLease>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(enhancementLeaseExpiryReader)
			.writer(enhancementLeaseExpiryWriter)
			.build();
	}

	@Bean
	@StepScope
	public JdbcPagingItemReader<ExpiredLease> enhancementLeaseExpiryReader(DataSource dataSource,
			EnhancementImportProperties properties, @Value("#{jobParameters['asOf']}") String asOf,
			@Value("#{jobParameters['fireTime']}") String fireTime) throws Exception {
		Instant cutoff = new ReferenceTime(JOB_NAME).parse(asOf, fireTime);
		return new JdbcPagingItemReaderBuilder<ExpiredLease>().name("enhancementLeaseExpiryReader")
			.dataSource(dataSource)
			.selectClause("id, enhancement_request_id, reference_id, robot_id, retry_depth, batch_id")
			.fromClause("pending_enhancement")
			// lease_expires_at is expires_at while processing, NULL otherwise (V14):
			// indexed, unlike status.
			.whereClause("lease_expires_at <= :cutoff")
			.sortKeys(Map.of("id", Order.ASCENDING))
			.parameterValues(Map.of("cutoff", Timestamp.from(cutoff)))
			.pageSize(properties.chunkSize())
			.rowMapper((rs, row) -> new ExpiredLease(rs.getObject("id", UUID.class),
					rs.getObject("enhancement_request_id", UUID.class), rs.getObject("reference_id", UUID.class),
					rs.getString("robot_id"), rs.getInt("retry_depth"), rs.getObject("batch_id", UUID.class)))
			.build();
	}

	@Bean
	@StepScope
	public LeaseExpiryWriter enhancementLeaseExpiryWriter(DataSource dataSource, EnhancementsProperties properties) {
		return new LeaseExpiryWriter(new JdbcTemplate(dataSource), properties.maxRetryCount(), CLOCK);
	}

}
