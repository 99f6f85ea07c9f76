package io.batchyard.launcher.enhancements;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The error answer of the enhancement API: {@code {"error": "...", "status": N}}.
 */
final class EnhancementsApi {

	private EnhancementsApi() {
	}

	static ResponseEntity<Object> error(HttpStatus status, String message) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", message);
		body.put("status", status.value());
		return ResponseEntity.status(status).body(body);
	}

	/**
	 * A refusal with its status.
	 */
	static final class Refused extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final HttpStatus status;

		Refused(HttpStatus status, String message) {
			super(message);
			this.status = status;
		}

		HttpStatus status() {
			return this.status;
		}

	}

}
