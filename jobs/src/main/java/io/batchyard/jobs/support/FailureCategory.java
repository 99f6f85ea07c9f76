package io.batchyard.jobs.support;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Why an execution failed, as far as running it again could help. Decided where the
 * failure happens: a job or listener that knows puts it in the job's
 * {@link ExecutionContext} under {@link #KEY}; otherwise the launcher classifies the
 * failure exceptions by type (never by message). The automatic restart policy restarts
 * only the categories it is configured for.
 */
public enum FailureCategory {

	/** The node running it stopped heart-beating; it was recovered by another. */
	NODE_LOST,
	/**
	 * Database, blob storage, SQS/SNS/DynamoDB, HTTP timeouts, 429 or 5xx after the
	 * step's own retries.
	 */
	INFRASTRUCTURE,
	/**
	 * Invalid parameters, input that fails validation, a 4xx answer: running again gives
	 * the same.
	 */
	INVALID_INPUT,
	/** Stopped or abandoned by an operator. */
	OPERATOR,
	/** Anything else (a bug): not restarted automatically. */
	UNKNOWN;

	/** The job execution context key a job may set to classify its own failure. */
	public static final String KEY = "batchyard.failure.category";

	/**
	 * Records a category on a job execution, for the policy to read when its end is
	 * recorded.
	 * @param execution the job execution
	 * @param category the category
	 */
	public static void record(JobExecution execution, FailureCategory category) {
		execution.getExecutionContext().putString(KEY, category.name());
	}

	/**
	 * The category a job recorded, if any.
	 * @param execution the job execution
	 * @return the category, or {@code null}
	 */
	public static FailureCategory recorded(JobExecution execution) {
		String value = execution.getExecutionContext().getString(KEY, null);
		if (value == null) {
			return null;
		}
		try {
			return valueOf(value);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * The name used in configuration ({@code node-lost}, {@code infrastructure}, ...).
	 * @return the kebab-case name
	 */
	public String configName() {
		return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}
