package io.batchyard.launcher.support;

import java.time.Duration;

import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.awaitility.Awaitility.await;

/**
 * Waiting for jobs a test launched, and a clean repository between tests: what every test
 * that launches through the application needs, in one place.
 */
public class JobRuns {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final ThreadPoolTaskExecutor jobThreads;

	private final JdbcTemplate jdbc;

	private final JobRepositoryTestUtils repositoryUtils;

	JobRuns(@BatchTaskExecutor TaskExecutor jobThreads, JdbcTemplate jdbc, JobRepositoryTestUtils repositoryUtils) {
		this.jobThreads = (ThreadPoolTaskExecutor) jobThreads;
		this.jdbc = jdbc;
		this.repositoryUtils = repositoryUtils;
	}

	/**
	 * Waits until an execution has ended and its job thread is idle (listeners have run).
	 * @param executionId the execution
	 */
	public void awaitEnd(long executionId) {
		await().atMost(WAIT)
			.until(() -> this.jobThreads.getActiveCount() == 0 && this.jdbc.queryForObject(
					"SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ? AND END_TIME IS NOT NULL",
					Long.class, executionId) == 1);
	}

	/**
	 * Waits for every running job to finish, then removes all executions and schedule
	 * fires: removing an execution under a running step would race it.
	 */
	public void reset() {
		await().atMost(WAIT).until(() -> this.jobThreads.getActiveCount() == 0);
		this.repositoryUtils.removeJobExecutions();
		this.jdbc.update("DELETE FROM BATCHYARD_SCHEDULE_FIRE");
	}

}
