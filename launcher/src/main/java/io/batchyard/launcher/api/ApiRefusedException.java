package io.batchyard.launcher.api;

import org.springframework.http.HttpStatus;

/**
 * A request refused with a status and a message for the client, answered by
 * {@link ApiExceptionHandler} as an {@link ApiError}.
 */
public class ApiRefusedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final HttpStatus status;

	public ApiRefusedException(HttpStatus status, String message) {
		super(message);
		this.status = status;
	}

	public HttpStatus status() {
		return this.status;
	}

}
