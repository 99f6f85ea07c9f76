package io.batchyard.jobs.housekeeping;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * Reports what the purge removed, over all its executions, as the exit description of the
 * job execution (where the dashboard and the command line show it).
 */
class PurgeReportListener implements JobExecutionListener {

	private final String stepName;

	PurgeReportListener(String stepName) {
		this.stepName = stepName;
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		PurgeCounts counts = jobExecution.getStepExecutions()
			.stream()
			.filter((step) -> step.getStepName().equals(this.stepName))
			.map(StepExecution::getExecutionContext)
			.map(RepositoryPurgeWriter::read)
			.reduce(PurgeCounts.NONE, PurgeCounts::plus);
		ExitStatus exitStatus = jobExecution.getExitStatus();
		jobExecution.setExitStatus(exitStatus.addExitDescription(counts.describe()));
	}

}
