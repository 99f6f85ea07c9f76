package io.batchyard.launcher.unattended;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.sql.SQLTransientConnectionException;

import io.batchyard.jobs.support.FailureCategory;
import io.batchyard.readers.http.HttpCallException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.SqsException;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.FatalStepExecutionException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureClassifierTests {

	@Test
	void infrastructureByTypeAnywhereInTheCauseChain() {
		assertThat(classify(new FatalStepExecutionException("Unable to process chunk",
				new CannotGetJdbcConnectionException("no connection"))))
			.isEqualTo(FailureCategory.INFRASTRUCTURE);
		assertThat(classify(new QueryTimeoutException("slow"))).isEqualTo(FailureCategory.INFRASTRUCTURE);
		assertThat(classify(new RuntimeException(new SQLTransientConnectionException("lost"))))
			.isEqualTo(FailureCategory.INFRASTRUCTURE);
		assertThat(classify(new UncheckedIOException(new SocketTimeoutException("read timed out"))))
			.isEqualTo(FailureCategory.INFRASTRUCTURE);
		assertThat(classify(SdkClientException.create("unable to connect"))).isEqualTo(FailureCategory.INFRASTRUCTURE);
		assertThat(classify(SqsException.builder().statusCode(503).message("unavailable").build()))
			.isEqualTo(FailureCategory.INFRASTRUCTURE);
		assertThat(classify(new HttpCallException("DLCS GET /assets failed after 3 attempts: 503", 503, true, null)))
			.isEqualTo(FailureCategory.INFRASTRUCTURE);
	}

	@Test
	void invalidInputByType() {
		assertThat(classify(new HttpCallException("DLCS GET /assets answered 404", 404, false, null)))
			.isEqualTo(FailureCategory.INVALID_INPUT);
		assertThat(classify(SqsException.builder().statusCode(400).message("bad request").build()))
			.isEqualTo(FailureCategory.INVALID_INPUT);
		assertThat(classify(new InvalidJobParametersException("bad"))).isEqualTo(FailureCategory.INVALID_INPUT);
		assertThat(classify(new DataIntegrityViolationException("duplicate key")))
			.isEqualTo(FailureCategory.INVALID_INPUT);
	}

	@Test
	void neverByMessage() {
		// A message that reads like a lost connection, on a type that says nothing.
		assertThat(classify(new IllegalStateException("Connection refused; the database is down")))
			.isEqualTo(FailureCategory.UNKNOWN);
		assertThat(classify(
				new UncategorizedSQLException("delete", "DELETE", new java.sql.SQLException("Injected fault"))))
			.isEqualTo(FailureCategory.UNKNOWN);
	}

	@Test
	void whatTheJobRecordedAndTheStatusComeFirst() {
		JobExecution recorded = failed(new CannotGetJdbcConnectionException("no connection"));
		FailureCategory.record(recorded, FailureCategory.INVALID_INPUT);
		assertThat(FailureClassifier.classify(recorded)).isEqualTo(FailureCategory.INVALID_INPUT);

		JobExecution stopped = failed(new CannotGetJdbcConnectionException("no connection"));
		stopped.setStatus(BatchStatus.STOPPED);
		assertThat(FailureClassifier.classify(stopped)).isEqualTo(FailureCategory.OPERATOR);

		JobExecution recovered = failed(null);
		recovered.getExecutionContext().put("batch.recovered", true);
		assertThat(FailureClassifier.classify(recovered)).isEqualTo(FailureCategory.NODE_LOST);
	}

	private static FailureCategory classify(Throwable failure) {
		return FailureClassifier.classify(failed(failure));
	}

	private static JobExecution failed(Throwable failure) {
		JobExecution execution = new JobExecution(1L, new JobInstance(1L, "someJob"), new JobParameters());
		execution.setStatus(BatchStatus.FAILED);
		if (failure != null) {
			execution.addFailureException(failure);
		}
		return execution;
	}

}
