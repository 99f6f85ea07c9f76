package io.batchyard.launcher.runner;

import java.time.Clock;

import io.batchyard.jobs.housekeeping.HousekeepingProperties;
import io.batchyard.jobs.partition.PartitionClaims;
import io.batchyard.launcher.catalogue.JobCatalogue;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.OrphanInstances;

import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The runner node: how jobs get threads, its heartbeat and crash recovery, its shutdown,
 * and the launch service.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(RunnerProperties.class)
class RunnerConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemDefaultZone();
	}

	/**
	 * Jobs run on their own pool on the server (the launch answers at once), and on the
	 * calling thread on the command line (the command ends with the execution).
	 */
	@Bean
	@BatchTaskExecutor
	TaskExecutor batchTaskExecutor(RunnerProperties properties) {
		if (properties.isCommandLine()) {
			return new SyncTaskExecutor();
		}
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix("batch-job-");
		executor.setCorePoolSize(properties.maxConcurrentJobs());
		executor.setMaxPoolSize(properties.maxConcurrentJobs());
		executor.setWaitForTasksToCompleteOnShutdown(true);
		executor.setAwaitTerminationMillis(properties.shutdownTimeout().toMillis());
		executor.setPhase(RunnerLifecycle.PHASE - 1);
		return executor;
	}

	/**
	 * Shared by the job operator and the launcher; fills itself with every job bean.
	 */
	@Bean
	MapJobRegistry jobRegistry() {
		return new MapJobRegistry();
	}

	@Bean
	RunnerNode runnerNode(JdbcTemplate jdbcTemplate, Clock clock, RunnerProperties properties) {
		return new RunnerNode(jdbcTemplate, clock, properties);
	}

	@Bean
	RunnerLifecycle runnerLifecycle(RunnerNode node, RunnerProperties properties, JobRepository jobRepository,
			JobOperator jobOperator, TaskScheduler taskScheduler, HousekeepingProperties housekeeping,
			PlatformTransactionManager transactionManager) {
		return new RunnerLifecycle(node, properties, jobRepository, jobOperator, taskScheduler,
				housekeeping.retention(), transactionManager);
	}

	/**
	 * A worker records the partitions it runs, so that another node recovers them when it
	 * dies.
	 */
	@Bean
	PartitionClaims partitionClaims(RunnerNode node) {
		return node::claimPartition;
	}

	@Bean
	RunnerShutdown runnerShutdown(RunnerNode node, RunnerProperties properties, JobRepository jobRepository,
			JobLaunchService launchService, ObjectProvider<LaunchTrigger> triggers) {
		return new RunnerShutdown(node, properties, jobRepository, launchService, triggers);
	}

	@Bean
	OrphanInstances orphanInstances(JdbcTemplate jdbcTemplate) {
		return new OrphanInstances(jdbcTemplate);
	}

	/**
	 * Orphan instances are removed before the first launch can meet one.
	 */
	@Bean
	@DependsOn("orphanInstances")
	JobLaunchService jobLaunchService(JobOperator jobOperator, JobRepository jobRepository, JobRegistry jobRegistry,
			RunnerNode node, JdbcTemplate jdbcTemplate, JobCatalogue jobCatalogue) {
		return new JobLaunchService(jobOperator, jobRepository, jobRegistry, node, jdbcTemplate, jobCatalogue);
	}

	@Bean
	static ExecutionListenersPostProcessor executionListenersPostProcessor(ObjectProvider<RunnerNode> node,
			ObjectProvider<JobRepository> jobRepository) {
		return new ExecutionListenersPostProcessor(new ExecutionContextListener(node),
				new FailureCauseListener(jobRepository), new CompletedStepsRestartListener(jobRepository));
	}

}
