package io.batchyard.test;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Writes job-repository metadata as Spring Batch writes it, through the
 * {@link JobRepository}: an instance per business key, executions with one parameter
 * ({@code key}), an execution context and one step execution per given step status.
 */
public class RepositoryFixture {

	private final JobRepository jobRepository;

	private final Map<Long, JobParameters> parameters = new HashMap<>();

	public RepositoryFixture(JobRepository jobRepository) {
		this.jobRepository = jobRepository;
	}

	public static JobParameters parameters(String key) {
		return new JobParametersBuilder().addString("key", key).toJobParameters();
	}

	public JobInstance instance(String jobName, String key) {
		return instance(jobName, parameters(key));
	}

	/**
	 * Creates an instance whose executions get the given parameters.
	 * @param jobName the job
	 * @param parameters the parameters, identifying and not
	 * @return the instance
	 */
	public JobInstance instance(String jobName, JobParameters parameters) {
		JobInstance instance = this.jobRepository.createJobInstance(jobName, parameters);
		this.parameters.put(instance.getInstanceId(), parameters);
		return instance;
	}

	/**
	 * Adds an execution to an instance.
	 * @param instance the instance
	 * @param status the execution's status; a running one gets no end time
	 * @param endTime when it ended
	 * @param stepStatuses one step execution per status ({@code step1}, {@code step2},
	 * ...); none given: one step with the execution's status
	 * @return the execution
	 */
	public JobExecution execution(JobInstance instance, BatchStatus status, LocalDateTime endTime,
			BatchStatus... stepStatuses) {
		JobParameters parameters = this.parameters.get(instance.getInstanceId());
		JobExecution execution = this.jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
		LocalDateTime startTime = (endTime != null) ? endTime.minusMinutes(5) : LocalDateTime.now();
		execution.setStartTime(startTime);
		BatchStatus[] steps = (stepStatuses.length > 0) ? stepStatuses : new BatchStatus[] { status };
		for (int i = 0; i < steps.length; i++) {
			StepExecution step = this.jobRepository.createStepExecution("step" + (i + 1), execution);
			step.setStartTime(startTime);
			step.setStatus(steps[i]);
			step.setExitStatus(exitStatus(steps[i]));
			step.setEndTime(steps[i].isRunning() ? null : endTime);
			step.setReadCount(10);
			step.setWriteCount(10);
			step.setCommitCount(1);
			this.jobRepository.update(step);
		}
		execution.setStatus(status);
		execution.setExitStatus(exitStatus(status));
		execution.setEndTime(status.isRunning() ? null : endTime);
		this.jobRepository.update(execution);
		return execution;
	}

	/**
	 * The one step execution of a single-step job's execution.
	 * @param execution the execution
	 * @return its step execution
	 */
	public static StepExecution onlyStep(JobExecution execution) {
		if (execution.getStepExecutions().size() != 1) {
			throw new IllegalStateException("Expected one step execution, got " + execution.getStepExecutions());
		}
		return execution.getStepExecutions().iterator().next();
	}

	private static ExitStatus exitStatus(BatchStatus status) {
		return switch (status) {
			case COMPLETED -> ExitStatus.COMPLETED;
			case FAILED -> ExitStatus.FAILED;
			case STOPPED -> ExitStatus.STOPPED;
			case STARTED, STARTING, STOPPING -> ExitStatus.EXECUTING;
			default -> new ExitStatus(status.name());
		};
	}

}
