package io.batchyard.launcher.enhancements;

import java.util.UUID;

import io.batchyard.jobs.enhancement.EnhancementBatches;
import io.batchyard.jobs.enhancement.EnhancementImportJobConfiguration;
import io.batchyard.jobs.enhancement.RequestStatus;
import io.batchyard.launcher.launch.ExecutionFate;
import io.batchyard.launcher.launch.JobLaunchService;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Robot enhancement batches as the robot API and the dashboard show them: the batch's row
 * (what the robot API and {@code enhancementImportJob} wrote) and, while the row says
 * {@code importing}, the fate of the batch's last import execution. The job settles the
 * row in its last step; an import that ended without settling it (its node died, the
 * database or the blob storage kept failing) leaves the row {@code importing}. While an
 * automatic restart is pending the batch stays {@code importing}, as DESTINY shows a
 * batch whose import task is queued; once nothing will resume the import, the batch is
 * shown {@code failed} (DESTINY: "if the import task throws, the whole batch is marked
 * failed") with the reason as its {@code error}. Only shown: the rows stay as they are,
 * so an operator's restart resumes the import and the batch shows {@code importing}
 * again.
 */
public class RobotBatchStates {

	private final JobRepository jobRepository;

	private final JobLaunchService launchService;

	public RobotBatchStates(JobRepository jobRepository, JobLaunchService launchService) {
		this.jobRepository = jobRepository;
		this.launchService = launchService;
	}

	/**
	 * A batch as shown.
	 * @param batch the batch's row
	 * @return the batch with its status and error as shown
	 */
	public EnhancementBatches.Batch shown(EnhancementBatches.Batch batch) {
		Shown shown = shown(batch.id(), batch.status(), batch.error());
		return new EnhancementBatches.Batch(batch.id(), batch.robotId(), shown.status(), batch.referenceDataKey(),
				batch.resultKey(), batch.validationResultKey(), shown.error(), batch.expiresAt());
	}

	/**
	 * A batch's status and error as shown.
	 * @param batchId the batch
	 * @param status its stored status
	 * @param error its stored error
	 * @return the status and error as shown
	 */
	public Shown shown(UUID batchId, String status, String error) {
		if (!RequestStatus.IMPORTING.value().equals(status)) {
			// processing (the robot holds it) or settled: the row is the truth.
			return new Shown(status, error);
		}
		JobExecution last = this.jobRepository.getLastJobExecution(RobotBatchesController.IMPORT_JOB,
				new JobParametersBuilder().addString(EnhancementImportJobConfiguration.BATCH_ID, batchId.toString())
					.toJobParameters());
		return derive(status, error, (last != null) ? this.launchService.fate(last) : null);
	}

	/**
	 * The one place a batch's status is derived: from its row and its import's fate.
	 * @param status the stored status
	 * @param error the stored error
	 * @param fate the fate of its last import execution, {@code null} when it has none
	 * yet
	 * @return the status and error as shown
	 */
	static Shown derive(String status, String error, ExecutionFate fate) {
		if (!RequestStatus.IMPORTING.value().equals(status) || fate == null || !fate.endedUnfinished()) {
			// Not launched yet, running, waiting for its automatic restart, or completed
			// (the job settled the row in the same transaction as its last step).
			return new Shown(status, error);
		}
		return new Shown(RequestStatus.FAILED.value(), "Import failed: " + fate.explanation());
	}

	/**
	 * A batch's status and error as shown.
	 *
	 * @param status the status
	 * @param error the error, or {@code null}
	 */
	public record Shown(String status, String error) {

	}

}
