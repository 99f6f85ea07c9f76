package io.batchyard.launcher.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.http.HttpStatus;
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
		return ResponseEntity.status(status).body(new ApiError(message, status.value()));
	}

}
