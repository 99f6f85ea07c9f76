package io.batchyard.readers.http;

/**
 * A call to an HTTP API that failed: refused (401, 403, 404 and other client errors, not
 * retried) or still failing after its retries (timeouts, 429, 5xx). The message names the
 * call and the URL.
 */
public class HttpCallException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int status;

	private final boolean transientFailure;

	public HttpCallException(String message, int status, boolean transientFailure, Throwable cause) {
		super(message, cause);
		this.status = status;
		this.transientFailure = transientFailure;
	}

	/**
	 * The last HTTP status, or {@code 0} when no response arrived (a timeout).
	 * @return the status
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * Whether the call failed in a way a later attempt may not (timeouts, 429, 5xx).
	 * @return {@code true} for a transient failure whose retries ran out
	 */
	public boolean isTransientFailure() {
		return this.transientFailure;
	}

}
