package io.batchyard.launcher.imagebatch;

import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.launcher.api.ApiError;
import io.batchyard.launcher.launch.LaunchRefusedException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The image batch API's errors: always {@code {"error": "...", "status": N}}, never a
 * stack trace; unexpected failures are logged under a reference the answer repeats.
 */
@RestControllerAdvice(assignableTypes = ImageBatchController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ImageBatchExceptionHandler {

	private static final Log logger = LogFactory.getLog(ImageBatchExceptionHandler.class);

	@ExceptionHandler
	ResponseEntity<ApiError> refused(ImageBatchException ex) {
		return answer(ex.status(), ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ApiError> launchRefused(LaunchRefusedException ex) {
		HttpStatus status = (ex.getReason() == LaunchRefusedException.Reason.SHUTTING_DOWN)
				? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.INTERNAL_SERVER_ERROR;
		logger.warn("Image batch job not launched: " + ex.getMessage());
		return answer(status, "Batch job not started: " + ex.getMessage());
	}

	/**
	 * Not a failure of the server: without this the catch-all below would log it as one
	 * and answer 500.
	 */
	@ExceptionHandler
	ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException ex) {
		return ApiError.notAcceptable();
	}

	@ExceptionHandler
	ResponseEntity<ApiError> unexpected(Exception ex) {
		String reference = UUID.randomUUID().toString();
		logger.error("Image batch request failed, reference " + reference, ex);
		return answer(HttpStatus.INTERNAL_SERVER_ERROR,
				"Internal error; the server log has the details under reference " + reference);
	}

	static ResponseEntity<ApiError> answer(HttpStatus status, String message) {
		return ApiError.answer(status, message);
	}

}
