package io.batchyard.launcher.imagebatch;

import io.batchyard.launcher.api.ApiRefusedException;

import org.springframework.http.HttpStatus;

/**
 * A refused image batch request, answered as {@code {"error": ..., "status": N}}.
 */
class ImageBatchException extends ApiRefusedException {

	private static final long serialVersionUID = 1L;

	ImageBatchException(HttpStatus status, String message) {
		super(status, message);
	}

	static ImageBatchException badRequest(String message) {
		return new ImageBatchException(HttpStatus.BAD_REQUEST, message);
	}

	static ImageBatchException notFound(String id) {
		return new ImageBatchException(HttpStatus.NOT_FOUND, "Job not found: " + id);
	}

}
