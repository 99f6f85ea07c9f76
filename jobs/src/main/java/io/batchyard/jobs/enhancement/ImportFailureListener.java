package io.batchyard.jobs.enhancement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;

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
		Throwable failure = jobExecution.getAllFailureExceptions().stream().findFirst().orElse(null);
		if (failure == null) {
			return;
		}
		String description = describe(failure);
		logger.error(jobExecution.getJobInstance().getJobName() + " execution " + jobExecution.getId() + " failed: "
				+ description);
		jobExecution.setExitStatus(new ExitStatus(ExitStatus.FAILED.getExitCode(), description));
	}

	static String describe(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessException || cause instanceof SQLException) {
				return "Database failure (after retries): " + message(cause);
			}
			if (cause instanceof SdkException || cause instanceof NoSuchBlobException
					|| cause instanceof UncheckedIOException || cause instanceof IOException) {
				return "Blob storage failure (after retries): " + message(cause);
			}
		}
		return "Failure: " + message(failure);
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
