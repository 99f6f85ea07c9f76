package io.batchyard.launcher.api;

import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.launcher.launch.LaunchRefusedException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure of the REST controllers into an {@link ApiError}; a client never
 * sees a stack trace. Unexpected failures are logged with a reference the answer repeats.
 */
@RestControllerAdvice(annotations = RestController.class)
class ApiExceptionHandler {

	private static final Log logger = LogFactory.getLog(ApiExceptionHandler.class);

	@ExceptionHandler
	ResponseEntity<ApiError> refused(LaunchRefusedException ex) {
		HttpStatus status = switch (ex.getReason()) {
			case UNKNOWN_JOB, UNKNOWN_EXECUTION -> HttpStatus.NOT_FOUND;
			case INVALID_PARAMETERS -> HttpStatus.BAD_REQUEST;
			case ALREADY_RUNNING, ALREADY_COMPLETE, NOT_ALLOWED -> HttpStatus.CONFLICT;
			case SHUTTING_DOWN -> HttpStatus.SERVICE_UNAVAILABLE;
		};
		return answer(status, ex.getMessage(), ex.getExecutionId());
	}

	@ExceptionHandler
	ResponseEntity<ApiError> refused(ApiRefusedException ex) {
		return answer(ex.status(), ex.getMessage(), null);
	}

	@ExceptionHandler
	ResponseEntity<ApiError> badArgument(IllegalArgumentException ex) {
		return answer(HttpStatus.BAD_REQUEST, ex.getMessage(), null);
	}

	@ExceptionHandler
	ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException ex) {
		return answer(HttpStatus.BAD_REQUEST,
				"Invalid request body: expected JSON such as {\"parameters\": {\"key\": \"value\"}}", null);
	}

	@ExceptionHandler
	ResponseEntity<ApiError> mismatch(MethodArgumentTypeMismatchException ex) {
		return answer(HttpStatus.BAD_REQUEST, "Invalid value '" + ex.getValue() + "' for '" + ex.getName() + "'", null);
	}

	@ExceptionHandler
	ResponseEntity<ApiError> missing(MissingServletRequestParameterException ex) {
		return answer(HttpStatus.BAD_REQUEST, "Missing parameter '" + ex.getParameterName() + "'", null);
	}

	@ExceptionHandler
	ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException ex) {
		return answer(HttpStatus.METHOD_NOT_ALLOWED, ApiErrors.METHOD_NOT_ALLOWED, null);
	}

	@ExceptionHandler
	ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException ex) {
		return answer(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ApiErrors.UNSUPPORTED_MEDIA_TYPE, null);
	}

	@ExceptionHandler
	ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException ex) {
		return ApiError.notAcceptable();
	}

	@ExceptionHandler
	ResponseEntity<ApiError> notFound(NoResourceFoundException ex) {
		return answer(HttpStatus.NOT_FOUND, "Not found: /" + ex.getResourcePath(), null);
	}

	/**
	 * The database was lost while the request was served (a failover, a dropped
	 * connection): a transient condition the client should retry, not an internal error.
	 * Retrying a launch or a restart is safe: one that did start is answered as already
	 * running or complete.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, CannotCreateTransactionException.class,
			TransientDataAccessException.class, RecoverableDataAccessException.class })
	ResponseEntity<ApiError> databaseUnavailable(Exception ex) {
		String reference = UUID.randomUUID().toString();
		logger.warn("API request failed on the database, reference " + reference + ": " + ex.getMessage());
		ResponseEntity<ApiError> answer = answer(HttpStatus.SERVICE_UNAVAILABLE,
				"The database is unavailable (" + ex.getClass().getSimpleName()
						+ "); retry shortly: a launch or restart that did start is then answered as already running"
						+ " or complete. Reference " + reference,
				null);
		return ResponseEntity.status(answer.getStatusCode())
			.headers(answer.getHeaders())
			.header(HttpHeaders.RETRY_AFTER, "5")
			.body(answer.getBody());
	}

	@ExceptionHandler
	ResponseEntity<ApiError> unexpected(Exception ex) {
		String reference = UUID.randomUUID().toString();
		logger.error("API request failed, reference " + reference, ex);
		return answer(HttpStatus.INTERNAL_SERVER_ERROR,
				"Internal error; the server log has the details under reference " + reference, null);
	}

	private static ResponseEntity<ApiError> answer(HttpStatus status, String message, Long executionId) {
		return ApiError.answer(status, message, executionId);
	}

}
