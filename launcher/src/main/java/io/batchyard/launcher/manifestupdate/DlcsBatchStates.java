package io.batchyard.launcher.manifestupdate;

import io.batchyard.jobs.manifestupdate.BatchCompletion;
import io.batchyard.jobs.manifestupdate.ManifestUpdateJobConfiguration;
import io.batchyard.launcher.launch.ExecutionFate;
import io.batchyard.launcher.launch.JobLaunchService;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;

/**
 * DLCS batches (the presentation store's {@code batches}) as the dashboard shows them:
 * the batch's row and, until the row says {@code Completed}, the fate of the batch's last
 * {@code manifestUpdateJob} execution. The job marks the batch {@code Completed} in its
 * first step (another batch of the manifest is still ingesting) or its last (it merged
 * the manifest); an execution that ended without doing so leaves the row
 * {@code Ingesting}, as iiif-presentation leaves a batch whose completion message is
 * redelivered. While an automatic restart is pending the batch stays {@code Ingesting};
 * once nothing will resume the update it is shown {@code Failed} with the reason.
 * iiif-presentation's {@code BatchStatus} has no such value ({@code Unknown},
 * {@code Ingesting}, {@code Completed}): it is only shown, never stored, so the store
 * keeps iiif-presentation's shape and an operator's restart, or the DLCS's next
 * notification, finds the row as it was.
 */
public class DlcsBatchStates {

	/** Shown, never stored: nothing will update the manifest without an operator. */
	public static final String FAILED = "Failed";

	static final String JOB = "manifestUpdateJob";

	private final JobRepository jobRepository;

	private final JobLaunchService launchService;

	public DlcsBatchStates(JobRepository jobRepository, JobLaunchService launchService) {
		this.jobRepository = jobRepository;
		this.launchService = launchService;
	}

	/**
	 * A batch's status and error as shown.
	 * @param customer the DLCS customer
	 * @param batchId the DLCS batch id
	 * @param status its stored status
	 * @return the status, and the error when it failed
	 */
	public Shown shown(long customer, long batchId, String status) {
		if (BatchCompletion.COMPLETED.equals(status)) {
			return new Shown(status, null);
		}
		JobExecution last = this.jobRepository.getLastJobExecution(JOB,
				new JobParametersBuilder().addLong(ManifestUpdateJobConfiguration.CUSTOMER, customer)
					.addLong(ManifestUpdateJobConfiguration.BATCH_ID, batchId)
					.toJobParameters());
		return derive(status, (last != null) ? this.launchService.fate(last) : null);
	}

	/**
	 * The one place a batch's status is derived: from its row and its update's fate.
	 * @param status the stored status
	 * @param fate the fate of the batch's last execution, {@code null} when it has none
	 * @return the status and error as shown
	 */
	static Shown derive(String status, ExecutionFate fate) {
		if (BatchCompletion.COMPLETED.equals(status) || fate == null || !fate.endedUnfinished()) {
			// Not notified yet, running, waiting for its automatic restart, or done.
			return new Shown(status, null);
		}
		return new Shown(FAILED, "Manifest update failed: " + fate.explanation());
	}

	/**
	 * A batch's status and error as shown.
	 *
	 * @param status the status
	 * @param error why it failed, or {@code null}
	 */
	public record Shown(String status, String error) {

	}

}
