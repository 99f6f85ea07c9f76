package io.batchyard.jobs.postingest;

/**
 * A state-table row no rule can process: it is skipped and recorded with this reason.
 */
public class UnprocessableRowException extends RuntimeException {

	public UnprocessableRowException(String message) {
		super(message);
	}

}
