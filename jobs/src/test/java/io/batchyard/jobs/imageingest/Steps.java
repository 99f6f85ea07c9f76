package io.batchyard.jobs.imageingest;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * Step executions by name (outside the test classes: {@code @SpringBatchTest} takes a
 * test method returning a StepExecution for a step-scope factory).
 */
final class Steps {

	private Steps() {
	}

	static StepExecution of(JobExecution execution, String name) {
		return execution.getStepExecutions()
			.stream()
			.filter((step) -> step.getStepName().equals(name))
			.findFirst()
			.orElseThrow();
	}

}
