package io.batchyard.jobs.enhancement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

import io.batchyard.jobs.partition.PartitionFailureListener;
import io.batchyard.readers.blob.NoSuchBlobException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.core.exception.SdkException;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.DataAccessException;

/**
 * Names the infrastructure that failed a job: bad input never fails it, so a failure is
 * the database or the blob storage, still failing after the step's retries. The exit
 * description says which, with the cause's message, instead of a stack trace.
 * <p>
 * A partition that fails on a worker node (remote partitioning) keeps its exception on
 * that node: the manager only sees "Partition handler returned an unsuccessful step", and
 * the stored exit description is a truncated stack trace. So the import's partition steps
 * are registered with {@link #describe} ({@code PartitionSteps.worker}): a failed
 * partition stores the description in its execution context
 * ({@link PartitionFailureListener#FAILURE}), and the job listener, given the job
 * repository, reads it from there. A partition recovered after its node died stored none:
 * its exit description says why it was recovered, and the job's says that
 * ({@link PartitionFailureListener#failedPartition}).
 */
public class ImportFailureListener implements JobExecutionListener {

	private static final Log logger = LogFactory.getLog(ImportFailureListener.class);

	private final JobRepository jobRepository;

	/** A listener that knows only the failures of the job execution itself. */
	public ImportFailureListener() {
		this(null);
	}

	/**
	 * @param jobRepository where to read the descriptions of failed partitions, or
	 * {@code null}
	 */
	public ImportFailureListener(JobRepository jobRepository) {
		this.jobRepository = jobRepository;
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		if (jobExecution.getStatus() != BatchStatus.FAILED) {
			return;
		}
		List<Throwable> failures = jobExecution.getAllFailureExceptions();
		if (failures.isEmpty()) {
			return;
		}
		// A partitioned step fails with "Partition handler returned an unsuccessful
		// step";
		// the partition's own failure, in the same list, says what went wrong.
		String description = failures.stream()
			.map(ImportFailureListener::infrastructure)
			.filter(Objects::nonNull)
			.findFirst()
			.orElseGet(() -> {
				String partition = failedPartition(jobExecution);
				return (partition != null) ? partition : describe(failures.get(0));
			});
		logger.error(jobExecution.getJobInstance().getJobName() + " execution " + jobExecution.getId() + " failed: "
				+ description);
		jobExecution.setExitStatus(new ExitStatus(ExitStatus.FAILED.getExitCode(), description));
	}

	private String failedPartition(JobExecution jobExecution) {
		if (this.jobRepository == null) {
			return null;
		}
		List<StepExecution> failed = PartitionFailureListener.failedPartitions(this.jobRepository, jobExecution);
		String described = failed.stream()
			.map(PartitionFailureListener::stored)
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(null);
		if (described != null || !PartitionFailureListener.failedInAPartition(jobExecution)) {
			return described;
		}
		// A partition that stored no description did not fail in its step: its node
		// died, and the recovery wrote why into its exit description.
		return PartitionFailureListener.firstDescribed(failed).orElse(null);
	}

	/**
	 * What failed an import, for its exit description, and for a partition what it stores
	 * (given to {@code PartitionSteps.worker}).
	 * @param failure the failure
	 * @return the infrastructure that failed and the cause's message
	 */
	public static String describe(Throwable failure) {
		String infrastructure = infrastructure(failure);
		return (infrastructure != null) ? infrastructure : "Failure: " + message(failure);
	}

	private static String infrastructure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessException || cause instanceof SQLException) {
				return "Database failure (after retries): " + message(cause);
			}
			if (cause instanceof SdkException || cause instanceof NoSuchBlobException
					|| cause instanceof UncheckedIOException || cause instanceof IOException) {
				return "Blob storage failure (after retries): " + message(cause);
			}
		}
		return null;
	}

	private static String message(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getName();
		return (root != failure && failure.getMessage() != null && !failure.getMessage().contains(message))
				? failure.getClass().getSimpleName() + ": " + message : message;
	}

}
