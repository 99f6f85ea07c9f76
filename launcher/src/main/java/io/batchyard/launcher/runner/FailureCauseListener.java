package io.batchyard.launcher.runner;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.launcher.executions.ExitDescriptions;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;

/**
 * Puts the cause of a failure first in the exit descriptions of a failed job and of its
 * failed steps ({@link ExitDescriptions#causeFirst}), while the exceptions are still at
 * hand: the stack trace Spring Batch stores is cut at 2,500 characters, usually before
 * its root cause. Registered on every job; as the last listener registered it runs first
 * after the job, so a job's own listener may still replace the description.
 */
class FailureCauseListener implements JobExecutionListener {

	private static final Log logger = LogFactory.getLog(FailureCauseListener.class);

	private final ObjectProvider<JobRepository> jobRepository;

	FailureCauseListener(ObjectProvider<JobRepository> jobRepository) {
		this.jobRepository = jobRepository;
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		for (StepExecution step : jobExecution.getStepExecutions()) {
			if (step.getFailureExceptions().isEmpty()) {
				continue;
			}
			ExitStatus exit = step.getExitStatus();
			String description = ExitDescriptions.causeFirst(exit.getExitDescription(),
					step.getFailureExceptions().get(0));
			if (description != null && !description.equals(exit.getExitDescription())) {
				step.setExitStatus(new ExitStatus(exit.getExitCode(), description));
				try {
					this.jobRepository.getObject().update(step);
				}
				catch (DataAccessException ex) {
					logger.warn("Could not record the cause of step " + step.getStepName() + " of job execution "
							+ jobExecution.getId() + ": " + ex.getMessage());
				}
			}
		}
		List<Throwable> failures = jobExecution.getAllFailureExceptions();
		if (!failures.isEmpty()) {
			// Saved with the job execution right after the listeners.
			ExitStatus exit = jobExecution.getExitStatus();
			jobExecution.setExitStatus(new ExitStatus(exit.getExitCode(),
					ExitDescriptions.causeFirst(exit.getExitDescription(), failures.get(0))));
		}
	}

}
