package io.batchyard.launcher.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Every error the API answers: {@code {"error": "...", "status": N}}, plus the execution
 * the error is about when there is one (a duplicate launch names the running or completed
 * execution).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ApiError(String error, int status, Long executionId) {

	ApiError(String error, int status) {
		this(error, status, null);
	}

}
