package io.batchyard.launcher.runner;

import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Gives a restart that found every step already completed the exit status the job would
 * have ended with, instead of Spring Batch's {@code NOOP}. A node killed after its last
 * step committed and before the job execution was marked {@code COMPLETED} leaves a job
 * execution that is recovered ({@code FAILED}) and restarted; the restart runs no step,
 * and Spring Batch ends it {@code COMPLETED} with exit code {@code NOOP} and "All steps
 * already completed or no steps configured for this job." An operator, a client or a
 * notification reading the exit code would see a job that did nothing, although the
 * instance completed its work exactly as an uninterrupted run (crash campaign finding 7).
 * <p>
 * A job ends with the exit status of the last step it ran (a flow job with what its last
 * step's status led to, which for every job here is that step's code), and Spring Batch
 * has already put the last step's exit status into the job's before adding {@code NOOP}:
 * this listener takes the code of the instance's last completed step back and removes the
 * sentence. Registered last on every job, so it runs first after the job and the job's
 * own listeners see the corrected status.
 */
class CompletedStepsRestartListener implements JobExecutionListener {

	static final String ALL_STEPS_COMPLETED = "All steps already completed or no steps configured for this job.";

	private static final Log logger = LogFactory.getLog(CompletedStepsRestartListener.class);

	private final ObjectProvider<JobRepository> jobRepository;

	CompletedStepsRestartListener(ObjectProvider<JobRepository> jobRepository) {
		this.jobRepository = jobRepository;
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		ExitStatus exit = jobExecution.getExitStatus();
		if (jobExecution.getStatus() != BatchStatus.COMPLETED
				|| !ExitStatus.NOOP.getExitCode().equals(exit.getExitCode())
				|| !jobExecution.getStepExecutions().isEmpty()) {
			return;
		}
		StepExecution last = lastCompletedStep(jobExecution);
		if (last == null) {
			// A job with no steps at all, or a first execution: NOOP is the truth.
			return;
		}
		String description = withoutNoop(exit.getExitDescription());
		jobExecution.setExitStatus(new ExitStatus(last.getExitStatus().getExitCode(), description));
		logger.info("Restart of job=" + jobExecution.getJobInstance().getJobName() + " instance="
				+ jobExecution.getJobInstance().getInstanceId() + " as execution=" + jobExecution.getId()
				+ " found every step completed (last: " + last.getStepName() + " of execution="
				+ last.getJobExecutionId() + "); it ends " + last.getExitStatus().getExitCode()
				+ " as that run would have");
	}

	private StepExecution lastCompletedStep(JobExecution restart) {
		JobRepository repository = this.jobRepository.getObject();
		// The latest earlier execution that ran steps: one refused before any step (a
		// grid
		// size check) has none.
		return repository.getJobExecutions(restart.getJobInstance())
			.stream()
			.filter((execution) -> !Objects.equals(execution.getId(), restart.getId()))
			.sorted(Comparator.comparing(JobExecution::getId).reversed())
			.map((previous) -> lastCompletedStepOf(repository.getJobExecution(previous.getId())))
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(null);
	}

	private static StepExecution lastCompletedStepOf(JobExecution execution) {
		if (execution == null) {
			return null;
		}
		return execution.getStepExecutions()
			.stream()
			.filter((step) -> step.getStatus() == BatchStatus.COMPLETED && step.getEndTime() != null)
			// The manager of a partitioned step ends after its partitions.
			.max(Comparator.comparing(StepExecution::getEndTime, Comparator.nullsFirst(LocalDateTime::compareTo))
				.thenComparing(StepExecution::getId))
			.orElse(null);
	}

	static String withoutNoop(String description) {
		if (description == null) {
			return "";
		}
		String result = description.replace("; " + ALL_STEPS_COMPLETED, "").replace(ALL_STEPS_COMPLETED, "");
		return result.strip();
	}

}
