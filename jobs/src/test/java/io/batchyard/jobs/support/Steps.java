package io.batchyard.jobs.support;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * Step executions by name (outside the test classes: {@code @SpringBatchTest} takes any
 * test-class method returning a {@link StepExecution} for a step-scope factory).
 */
public final class Steps {

	private Steps() {
	}

	/**
	 * The execution of a step.
	 * @param execution the job execution
	 * @param name the step's name
	 * @return its execution
	 * @throws AssertionError if the job execution has no such step
	 */
	public static StepExecution of(JobExecution execution, String name) {
		return execution.getStepExecutions()
			.stream()
			.filter((step) -> step.getStepName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No step " + name));
	}

}
