package io.batchyard.launcher.trigger.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.batchyard.launcher.support.BatchyardTest;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A schedule firing for real, every second, in a context of its own.
 */
@BatchyardTest
@TestPropertySource(properties = { "batchyard.scheduler.enabled=true", "batchyard.schedules.repository-purge.cron=-",
		"batchyard.schedules.every-second.cron=* * * * * *",
		"batchyard.schedules.every-second.job=repositoryPurgeJob" })
class CronFiringTests {

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JobRepository jobRepository;

	@Test
	void firesFromTheCronExpressionWithTheFireTimeAsIdentifyingParameter() {
		await().atMost(Duration.ofSeconds(15)).until(() -> completedFires("every-second") >= 2);
		List<String> fireTimes = this.jdbc.queryForList("SELECT P.PARAMETER_VALUE FROM BATCH_JOB_EXECUTION_PARAMS P"
				+ " WHERE P.PARAMETER_NAME = 'fireTime' AND P.IDENTIFYING = 'Y'", String.class);
		assertThat(fireTimes).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
		assertThat(fireTimes).allSatisfy((fireTime) -> assertThat(Instant.parse(fireTime).getNano()).isZero());
	}

	private int completedFires(String schedule) {
		List<Long> ids = this.jdbc.queryForList(
				"SELECT JOB_EXECUTION_ID FROM BATCHYARD_SCHEDULE_FIRE WHERE SCHEDULE_NAME = ? AND JOB_EXECUTION_ID IS NOT NULL",
				Long.class, schedule);
		return (int) ids.stream()
			.map(this.jobRepository::getJobExecution)
			.filter((execution) -> execution.getStatus() == BatchStatus.COMPLETED)
			.count();
	}

}
