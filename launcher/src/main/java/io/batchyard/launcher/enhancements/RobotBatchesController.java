package io.batchyard.launcher.enhancements;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.batchyard.launcher.api.ApiRefusedException;
import io.batchyard.jobs.enhancement.EnhancementBatches;
import io.batchyard.jobs.enhancement.EnhancementsProperties;
import io.batchyard.jobs.enhancement.RobotBatches;
import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;
import io.batchyard.readers.blob.BlobUrlSigner;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Robots (authenticated by {@link RobotAuthenticationFilter}): claim a batch, refresh its
 * signed URLs, hand in its result, which launches {@code enhancementImportJob}.
 */
@RestController
class RobotBatchesController {

	static final String IMPORT_JOB = "enhancementImportJob";

	private static final Log logger = LogFactory.getLog(RobotBatchesController.class);

	private final RobotBatches robots;

	private final BlobUrlSigner urls;

	private final EnhancementsProperties properties;

	private final JobLaunchService launches;

	private final RobotBatchStates states;

	RobotBatchesController(RobotBatches robots, BlobUrlSigner enhancementUrlSigner, EnhancementsProperties properties,
			JobLaunchService launches, RobotBatchStates states) {
		this.robots = robots;
		this.urls = enhancementUrlSigner;
		this.properties = properties;
		this.launches = launches;
		this.states = states;
	}

	@PostMapping({ "/robot-enhancement-batches", "/robot-enhancement-batches/" })
	ResponseEntity<Object> claim(@RequestParam("robot_id") String robotId,
			@RequestParam(name = "limit", defaultValue = "10") int limit,
			@RequestParam(name = "lease", required = false) java.time.Duration lease, Principal robot) {
		if (!robot.getName().equals(robotId)) {
			throw new ApiRefusedException(HttpStatus.FORBIDDEN, "robot_id does not match the signing robot");
		}
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1");
		}
		if (lease != null && (lease.isNegative() || lease.isZero())) {
			throw new IllegalArgumentException("lease must be a positive ISO-8601 duration such as PT10M");
		}
		int capped = Math.min(limit, this.properties.maxBatchSize());
		return this.robots.claim(robotId, capped, (lease != null) ? lease : this.properties.lease())
			.<ResponseEntity<Object>>map((batch) -> ResponseEntity.ok(batch(batch)))
			.orElseGet(() -> ResponseEntity.noContent().build());
	}

	@GetMapping({ "/robot-enhancement-batches/{id}", "/robot-enhancement-batches/{id}/" })
	ResponseEntity<Object> find(@PathVariable UUID id, Principal robot) {
		return ResponseEntity.ok(read(owned(id, robot)));
	}

	@PostMapping({ "/robot-enhancement-batches/{id}/results", "/robot-enhancement-batches/{id}/results/" })
	ResponseEntity<Object> results(@PathVariable UUID id, @RequestBody byte[] content, Principal robot) {
		JsonNode body;
		try {
			body = JsonMapper.shared().readTree(content);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Expected a RobotEnhancementBatchResult JSON object");
		}
		if (body == null || !body.isObject()) {
			throw new IllegalArgumentException("Expected a RobotEnhancementBatchResult JSON object");
		}
		JsonNode requestId = body.get("request_id");
		if (requestId == null || !requestId.isString() || !requestId.asString().equals(id.toString())) {
			throw new IllegalArgumentException("Request ID mismatch");
		}
		owned(id, robot);
		JsonNode error = body.get("error");
		String message = null;
		if (error != null && !error.isNull()) {
			JsonNode text = error.get("message");
			if (text == null || !text.isString()) {
				throw new IllegalArgumentException("error.message must be a string");
			}
			message = text.asString();
		}
		RobotBatches.Submitted submitted;
		try {
			submitted = this.robots.submit(id, message);
		}
		catch (RobotBatches.ResultRejectedException ex) {
			throw new ApiRefusedException(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
		}
		if (submitted == RobotBatches.Submitted.FAILED_BY_ROBOT) {
			return ResponseEntity.ok(read(owned(id, robot)));
		}
		try {
			this.launches
				.launch(new LaunchRequest(IMPORT_JOB, Map.of("batchId", id.toString()), LaunchRequest.Trigger.API));
		}
		catch (LaunchRefusedException ex) {
			if (!ex.getReason().isDuplicate()) {
				throw ex;
			}
			logger.info("Result of batch " + id + " handed in again: " + ex.getMessage());
		}
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(read(owned(id, robot)));
	}

	private EnhancementBatches.Batch owned(UUID id, Principal robot) {
		return this.robots.batches()
			.find(id)
			.filter((batch) -> batch.robotId().equals(robot.getName()))
			.orElseThrow(() -> new ApiRefusedException(HttpStatus.NOT_FOUND, "No robot enhancement batch " + id));
	}

	private Map<String, Object> batch(EnhancementBatches.Batch batch) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", batch.id());
		body.put("reference_storage_url", this.urls.signedGet(batch.referenceDataKey(), this.properties.urlLifetime()));
		body.put("result_storage_url", this.urls.signedPut(batch.resultKey(), this.properties.urlLifetime()));
		body.put("extra_fields", null);
		return body;
	}

	private Map<String, Object> read(EnhancementBatches.Batch row) {
		// The status follows the import execution's fate (RobotBatchStates).
		EnhancementBatches.Batch batch = this.states.shown(row);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", batch.id());
		body.put("robot_id", batch.robotId());
		body.put("status", batch.status());
		body.put("reference_storage_url", this.urls.signedGet(batch.referenceDataKey(), this.properties.urlLifetime()));
		body.put("reference_data_url", body.get("reference_storage_url"));
		body.put("result_storage_url", this.urls.signedPut(batch.resultKey(), this.properties.urlLifetime()));
		body.put("validation_result_url", (batch.validationResultKey() != null)
				? this.urls.signedGet(batch.validationResultKey(), this.properties.urlLifetime()) : null);
		body.put("error", batch.error());
		body.put("expires_at", batch.expiresAt());
		return body;
	}

}
