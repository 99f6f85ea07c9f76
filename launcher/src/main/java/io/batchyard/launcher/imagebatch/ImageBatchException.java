package io.batchyard.launcher.imagebatch;

import org.springframework.http.HttpStatus;

/**
 * A refused image batch request, answered as {@code {"error": ..., "status": N}}.
 */
class ImageBatchException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final HttpStatus status;

	ImageBatchException(HttpStatus status, String message) {
		super(message);
		this.status = status;
	}

	HttpStatus status() {
		return this.status;
	}

	static ImageBatchException badRequest(String message) {
		return new ImageBatchException(HttpStatus.BAD_REQUEST, message);
	}

	static ImageBatchException notFound(String id) {
		return new ImageBatchException(HttpStatus.NOT_FOUND, "Job not found: " + id);
	}

}
