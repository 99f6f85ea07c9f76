package io.batchyard.launcher.imagebatch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import io.batchyard.jobs.imageingest.ImageBatches;
import io.batchyard.launcher.api.ApiError;
import io.batchyard.launcher.imagebatch.ImageBatchStates.ImageBatchState;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The image batch API of the original service, on the job repository: submit, read, list,
 * cancel. The body is read here, bounded, so that an oversized one is refused with 413
 * before it is parsed.
 */
@RestController
@RequestMapping("/api/v1/batch")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ImageBatchController {

	private final ImageBatchService service;

	private final ImageBatchStates states;

	private final JsonMapper json;

	private final long maxRequestBytes;

	ImageBatchController(ImageBatchService service, ImageBatchStates states, ImageBatchApiProperties properties) {
		this.service = service;
		this.states = states;
		this.json = JsonMapper.shared();
		this.maxRequestBytes = properties.maxRequestSize().toBytes();
	}

	@PostMapping
	ResponseEntity<ImageBatchViews.Created> create(HttpServletRequest request) throws IOException {
		ImageBatchRequest batch = ImageBatchRequest.parse(body(request), this.json);
		ImageBatchService.Submitted submitted = this.service.submit(batch);
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(new ImageBatchViews.Created(submitted.id(), ImageBatches.PENDING,
					ImageBatchViews.time(submitted.createdAt()),
					"Batch job created with " + submitted.images() + " images"));
	}

	@GetMapping
	ImageBatchViews.BatchList list() {
		List<ImageBatchViews.Batch> views = this.states.list().stream().map(ImageBatchViews.Batch::of).toList();
		return new ImageBatchViews.BatchList(views, views.size());
	}

	@GetMapping("/{id}")
	ImageBatchViews.Batch get(@PathVariable String id) {
		return ImageBatchViews.Batch.of(find(id));
	}

	@DeleteMapping("/{id}")
	ImageBatchViews.Batch cancel(@PathVariable String id) {
		find(id);
		return ImageBatchViews.Batch.of(this.service.cancel(id));
	}

	/**
	 * Any other method, on either path: the original's 405 with its JSON error (without
	 * this mapping the servlet container would answer with an empty body).
	 */
	@RequestMapping({ "", "/{id}" })
	ResponseEntity<ApiError> methodNotAllowed(HttpServletRequest request) {
		String allowed = request.getRequestURI().endsWith("/batch") ? "GET, POST" : "GET, DELETE";
		return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
			.header("Allow", allowed)
			.contentType(MediaType.APPLICATION_JSON)
			.body(new ApiError("Method not allowed", HttpStatus.METHOD_NOT_ALLOWED.value()));
	}

	private ImageBatchState find(String id) {
		if (!isUuid(id)) {
			throw ImageBatchException.notFound(id);
		}
		return this.states.find(id).orElseThrow(() -> ImageBatchException.notFound(id));
	}

	static boolean isUuid(String id) {
		try {
			return UUID.fromString(id).toString().equals(id);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private byte[] body(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > this.maxRequestBytes) {
			throw tooLarge();
		}
		try (InputStream in = request.getInputStream()) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[64 * 1024];
			long total = 0;
			for (int read; (read = in.read(buffer)) != -1;) {
				total += read;
				if (total > this.maxRequestBytes) {
					throw tooLarge();
				}
				out.write(buffer, 0, read);
			}
			return out.toByteArray();
		}
	}

	private ImageBatchException tooLarge() {
		return new ImageBatchException(HttpStatus.PAYLOAD_TOO_LARGE,
				"Request body too large: the limit is " + this.maxRequestBytes + " bytes");
	}

}
