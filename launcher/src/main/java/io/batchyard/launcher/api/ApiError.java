package io.batchyard.launcher.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Every error the API answers: {@code {"error": "...", "status": N}}, plus the execution
 * the error is about when there is one (a duplicate launch names the running or completed
 * execution).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, int status, Long executionId) {

	public ApiError(String error, int status) {
		this(error, status, null);
	}

	/**
	 * An error answer.
	 * @param status the status
	 * @param message the error
	 * @return {@code {"error": message, "status": N}} with that status
	 */
	public static ResponseEntity<ApiError> answer(HttpStatus status, String message) {
		return answer(status, message, null);
	}

	/**
	 * An error answer about an execution. Its content type is set rather than negotiated:
	 * a client that accepts only, say, XML still gets the JSON error instead of a 406
	 * with an empty body.
	 * @param status the status
	 * @param message the error
	 * @param executionId the execution it is about, or {@code null}
	 * @return {@code {"error": message, "status": N}} with that status
	 */
	public static ResponseEntity<ApiError> answer(HttpStatus status, String message, Long executionId) {
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.body(new ApiError(message, status.value(), executionId));
	}

	/**
	 * The answer to a request whose {@code Accept} header excludes JSON.
	 * @return 406 with the JSON error
	 */
	public static ResponseEntity<ApiError> notAcceptable() {
		return answer(HttpStatus.NOT_ACCEPTABLE, ApiErrors.NOT_ACCEPTABLE);
	}

}
