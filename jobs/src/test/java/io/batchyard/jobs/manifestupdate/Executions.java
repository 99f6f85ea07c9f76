package io.batchyard.jobs.manifestupdate;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * Execution helpers, outside the test classes: {@code @SpringBatchTest} takes any method
 * of a test class that returns a {@link StepExecution} for a step-scope factory.
 */
final class Executions {

	private Executions() {
	}

	static StepExecution step(JobExecution execution, String name) {
		return execution.getStepExecutions()
			.stream()
			.filter((step) -> step.getStepName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No step " + name));
	}

}
