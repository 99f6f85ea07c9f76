package io.batchyard.jobs.housekeeping;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Reports what the purge removed, over all its executions, as the exit description of the
 * purge step, which the job takes as its own (where the dashboard and the command line
 * show it).
 * <p>
 * A step listener, not a job listener: Spring Batch 6 writes the job execution's final
 * status and end time before it runs the {@code afterJob} listeners and writes their
 * result in a second update, so a report made there is lost when the node dies between
 * the two, leaving a {@code COMPLETED} execution that no recovery looks at again. The
 * step's exit status is saved with the step execution, and the job's exit status is taken
 * from its last step before that first job update, so the report is durable no later than
 * the status.
 */
class PurgeReportListener implements StepExecutionListener {

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		// After a failed chunk Spring Batch has restored the context of the last commit:
		// the totals are those of the deletes that are in the database.
		PurgeCounts counts = RepositoryPurgeWriter.read(stepExecution.getExecutionContext());
		// Combined by Spring Batch with the step's exit status: same code, descriptions
		// joined.
		return new ExitStatus(stepExecution.getExitStatus().getExitCode(), counts.describe());
	}

}
