package io.batchyard.jobs.enhancement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

import io.batchyard.readers.blob.NoSuchBlobException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.core.exception.SdkException;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.dao.DataAccessException;

/**
 * Names the infrastructure that failed a job: bad input never fails it, so a failure is
 * the database or the blob storage, still failing after the step's retries. The exit
 * description says which, with the cause's message, instead of a stack trace.
 */
public class ImportFailureListener implements JobExecutionListener {

	private static final Log logger = LogFactory.getLog(ImportFailureListener.class);

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
			.orElseGet(() -> describe(failures.get(0)));
		logger.error(jobExecution.getJobInstance().getJobName() + " execution " + jobExecution.getId() + " failed: "
				+ description);
		jobExecution.setExitStatus(new ExitStatus(ExitStatus.FAILED.getExitCode(), description));
	}

	static String describe(Throwable failure) {
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
