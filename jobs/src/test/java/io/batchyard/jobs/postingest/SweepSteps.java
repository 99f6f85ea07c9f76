package io.batchyard.jobs.postingest;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep step of an execution: the only step, or, partitioned, its manager (which adds
 * up its partitions' counts) after checking that the partitions are there. Not a method
 * of the test classes: {@code @SpringBatchTest} calls their methods answering a
 * {@code StepExecution}.
 */
final class SweepSteps {

	private SweepSteps() {
	}

	static StepExecution of(JobExecution execution, int gridSize) {
		if (gridSize == 1) {
			assertThat(execution.getStepExecutions()).hasSize(1);
			return execution.getStepExecutions().iterator().next();
		}
		StepExecution manager = null;
		int partitions = 0;
		for (StepExecution step : execution.getStepExecutions()) {
			if (step.getStepName().equals(PostingestJobsConfiguration.SWEEP_STEP)) {
				manager = step;
			}
			else {
				assertThat(step.getStepName())
					.startsWith(PostingestJobsConfiguration.SWEEP_SEGMENT_STEP + ":partition");
				partitions++;
			}
		}
		assertThat(manager).as("the manager step").isNotNull();
		if (manager.getStatus() == BatchStatus.COMPLETED && execution.getStepExecutions().size() > 1) {
			assertThat(partitions).isPositive();
		}
		return manager;
	}

}
