package io.batchyard.launcher.unattended;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import io.batchyard.jobs.support.FailureCategory;
import io.batchyard.readers.blob.NoSuchBlobException;
import io.batchyard.readers.http.HttpCallException;
import io.batchyard.readers.sqs.SqsBatchSendException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.validator.ValidationException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Decides the {@link FailureCategory} of an ended execution: what the job recorded, else
 * what its status says (an operator stopped it), else the type of the first exception in
 * its failures' cause chains that tells. Types, never messages: a message changes with a
 * library version, a type does not.
 */
final class FailureClassifier {

	private FailureClassifier() {
	}

	static FailureCategory classify(JobExecution execution) {
		FailureCategory recorded = FailureCategory.recorded(execution);
		if (recorded != null) {
			return recorded;
		}
		if (execution.getStatus() == BatchStatus.STOPPED || execution.getStatus() == BatchStatus.ABANDONED) {
			return FailureCategory.OPERATOR;
		}
		if (execution.getExecutionContext().containsKey("batch.recovered")) {
			// JobOperator.recover: its node died (the heartbeat records NODE_LOST itself;
			// an operator recovers by hand only what a dead node left running).
			return FailureCategory.NODE_LOST;
		}
		List<Throwable> failures = new ArrayList<>(execution.getFailureExceptions());
		for (StepExecution step : execution.getStepExecutions()) {
			failures.addAll(step.getFailureExceptions());
		}
		for (Throwable failure : failures) {
			FailureCategory category = classify(failure);
			if (category != null) {
				return category;
			}
		}
		return FailureCategory.UNKNOWN;
	}

	/**
	 * The category of one failure, from the outermost exception that tells.
	 * @param failure the failure
	 * @return the category, or {@code null} if nothing in the chain tells
	 */
	static FailureCategory classify(Throwable failure) {
		int depth = 0;
		for (Throwable cause = failure; cause != null && depth < 32; cause = cause.getCause(), depth++) {
			FailureCategory category = of(cause);
			if (category != null) {
				return category;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private static FailureCategory of(Throwable ex) {
		if (ex instanceof HttpCallException http) {
			return http.isTransientFailure() ? FailureCategory.INFRASTRUCTURE : FailureCategory.INVALID_INPUT;
		}
		if (ex instanceof SdkServiceException service) {
			return (service.statusCode() >= 500 || service.isThrottlingException() || service.statusCode() == 429)
					? FailureCategory.INFRASTRUCTURE : FailureCategory.INVALID_INPUT;
		}
		if (ex instanceof InvalidJobParametersException || ex instanceof ValidationException
				|| ex instanceof NoSuchBlobException || ex instanceof DataIntegrityViolationException) {
			return FailureCategory.INVALID_INPUT;
		}
		if (ex instanceof TransientDataAccessException || ex instanceof RecoverableDataAccessException
				|| ex instanceof DataAccessResourceFailureException || ex instanceof CannotCreateTransactionException
				|| ex instanceof SQLTransientException || ex instanceof SQLRecoverableException
				|| ex instanceof SQLNonTransientConnectionException || ex instanceof SdkClientException
				|| ex instanceof SqsBatchSendException || ex instanceof TimeoutException
				|| ex instanceof UncheckedIOException || ex instanceof IOException) {
			return FailureCategory.INFRASTRUCTURE;
		}
		return null;
	}

}
