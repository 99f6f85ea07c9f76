package io.batchyard.jobs.housekeeping;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

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
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code repositoryPurgeJob}: deletes job-repository metadata of executions that ended
 * more than {@code batchyard.housekeeping.retention} before the reference time, keeping
 * every instance that can still be restarted (its last execution FAILED or STOPPED) or is
 * running. A restart needs the earlier executions of its instance too: the step
 * executions that completed there are skipped.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HousekeepingProperties.class)
public class RepositoryPurgeJobConfiguration {

	static final String JOB_NAME = "repositoryPurgeJob";

	static final String STEP_NAME = "purgeExecutionsStep";

	private static final String RUNNING = "'STARTING', 'STARTED', 'STOPPING'";

	@Bean
	public JobDescription repositoryPurgeJobDescription(HousekeepingProperties properties) {
		return ReferenceTime.declare(JobDescription.of(JOB_NAME,
				"Deletes the job-repository metadata of executions that ended more than"
						+ " batchyard.housekeeping.retention before the reference time, keeping restartable and"
						+ " running instances"))
			.check(new PurgeCutoff(properties.retention()))
			.build();
	}

	@Bean
	public Job repositoryPurgeJob(JobRepository jobRepository, Step purgeExecutionsStep,
			JobDescription repositoryPurgeJobDescription) {
		return new JobBuilder(JOB_NAME, jobRepository).validator(repositoryPurgeJobDescription.validator())
			.start(purgeExecutionsStep)
			.build();
	}

	@Bean
	public Step purgeExecutionsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcPagingItemReader<PurgeCandidate> repositoryPurgeReader, RepositoryPurgeWriter repositoryPurgeWriter,
			HousekeepingProperties properties) {
		return new StepBuilder(STEP_NAME, jobRepository).<PurgeCandidate, PurgeCandidate>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(repositoryPurgeReader)
			.writer(repositoryPurgeWriter)
			.stream(repositoryPurgeWriter)
			.listener(new ChunkPauseListener(properties.chunkPause()))
			.listener(new PurgeReportListener())
			.build();
	}

	@Bean
	@StepScope
	public JdbcPagingItemReader<PurgeCandidate> repositoryPurgeReader(DataSource dataSource,
			HousekeepingProperties properties, @Value("${spring.batch.jdbc.table-prefix:BATCH_}") String prefix,
			@Value("#{jobParameters['asOf']}") String asOf, @Value("#{jobParameters['fireTime']}") String fireTime)
			throws Exception {
		LocalDateTime cutoff = new PurgeCutoff(properties.retention()).cutoff(asOf, fireTime, ZoneId.systemDefault());
		// Page size equals chunk size: every commit falls on a page end, so a restart
		// resumes after the last deleted key and never skips inside a page whose rows
		// were already deleted.
		return new JdbcPagingItemReaderBuilder<PurgeCandidate>().name("repositoryPurgeReader")
			.dataSource(dataSource)
			.selectClause("JOB_EXECUTION_ID, JOB_INSTANCE_ID, JOB_NAME")
			.fromClause("(" + candidatesQuery(prefix) + ") C")
			.sortKeys(Map.of("JOB_EXECUTION_ID", Order.ASCENDING))
			.parameterValues(Map.of("cutoff", cutoff))
			.pageSize(properties.chunkSize())
			.rowMapper((rs, rowNum) -> new PurgeCandidate(rs.getLong("JOB_EXECUTION_ID"), rs.getLong("JOB_INSTANCE_ID"),
					rs.getString("JOB_NAME")))
			.build();
	}

	/**
	 * Step-scoped: its running totals belong to one step execution, so two purges running
	 * at once (different {@code asOf}) never mix their reports.
	 */
	@Bean
	@StepScope
	public RepositoryPurgeWriter repositoryPurgeWriter(DataSource dataSource,
			@Value("${spring.batch.jdbc.table-prefix:BATCH_}") String prefix) {
		return new RepositoryPurgeWriter(new JobMetadataPurger(new NamedParameterJdbcTemplate(dataSource), prefix));
	}

	static String candidatesQuery(String p) {
		return "SELECT E.JOB_EXECUTION_ID, E.JOB_INSTANCE_ID, I.JOB_NAME FROM " + p + "JOB_EXECUTION E JOIN " + p
				+ "JOB_INSTANCE I ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID WHERE E.END_TIME < :cutoff AND E.STATUS NOT IN ("
				+ RUNNING + ") AND NOT EXISTS (SELECT 1 FROM " + p
				+ "JOB_EXECUTION L WHERE L.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID AND (L.STATUS IN (" + RUNNING
				+ ") OR (L.STATUS IN ('FAILED', 'STOPPED') AND L.JOB_EXECUTION_ID = (SELECT MAX(M.JOB_EXECUTION_ID) FROM "
				+ p + "JOB_EXECUTION M WHERE M.JOB_INSTANCE_ID = L.JOB_INSTANCE_ID))))";
	}

}
