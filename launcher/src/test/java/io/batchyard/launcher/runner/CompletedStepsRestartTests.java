package io.batchyard.launcher.runner;

import java.time.Duration;
import java.util.Map;

import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.support.BatchyardTest;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node killed after the last step committed and before the job execution was marked
 * {@code COMPLETED} (crash campaign finding 7): the execution is recovered and restarted,
 * the restart runs no step, and it must end as the uninterrupted run did, not
 * {@code NOOP}.
 */
@BatchyardTest
class CompletedStepsRestartTests {

	@Autowired
	JobLaunchService launchService;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobOperator jobOperator;

	@Test
	void restartOfAnExecutionWhoseStepsAllCompletedEndsWithTheLastStepsExitStatus() throws Exception {
		JobExecution first = this.launchService
			.launch(new LaunchRequest("repositoryPurgeJob", Map.of("asOf", "2026-03-01T00:00:00Z")));
		awaitEnd(first.getId());
		JobExecution completed = this.jobRepository.getJobExecution(first.getId());
		assertThat(completed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		ExitStatus uninterrupted = completed.getExitStatus();
		assertThat(uninterrupted.getExitDescription()).isNotBlank();

		// What a kill between the step's commit and the job's own update leaves: every
		// step
		// COMPLETED, the job execution still STARTED; then the heartbeat's recovery.
		completed.setStatus(BatchStatus.STARTED);
		completed.setExitStatus(ExitStatus.UNKNOWN);
		completed.setEndTime(null);
		this.jobRepository.update(completed);
		JobExecution recovered = this.jobOperator.recover(this.jobRepository.getJobExecution(first.getId()));
		assertThat(recovered.getStatus()).isEqualTo(BatchStatus.FAILED);

		JobExecution restart = this.launchService.restart(first.getId());
		awaitEnd(restart.getId());
		JobExecution ended = this.jobRepository.getJobExecution(restart.getId());

		assertThat(ended.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(ended.getStepExecutions()).as("no step ran again").isEmpty();
		assertThat(ended.getExitStatus().getExitCode()).isEqualTo(uninterrupted.getExitCode());
		assertThat(ended.getExitStatus().getExitDescription()).isEqualTo(uninterrupted.getExitDescription())
			.doesNotContain(CompletedStepsRestartListener.ALL_STEPS_COMPLETED);
	}

	@Test
	void aFirstExecutionKeepsNoop() {
		assertThat(CompletedStepsRestartListener
			.withoutNoop("Batch x completed; " + CompletedStepsRestartListener.ALL_STEPS_COMPLETED))
			.isEqualTo("Batch x completed");
		assertThat(CompletedStepsRestartListener.withoutNoop(CompletedStepsRestartListener.ALL_STEPS_COMPLETED))
			.isEmpty();
		assertThat(CompletedStepsRestartListener.withoutNoop(null)).isEmpty();
	}

	// Not returning the execution: Spring Batch's test listeners take any method of the
	// test class returning a JobExecution for a factory.
	private void awaitEnd(long id) {
		await().atMost(Duration.ofSeconds(30)).until(() -> !this.jobRepository.getJobExecution(id).isRunning());
	}

}
