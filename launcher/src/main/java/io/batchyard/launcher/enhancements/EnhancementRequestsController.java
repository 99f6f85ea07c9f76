package io.batchyard.launcher.enhancements;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.batchyard.launcher.api.ApiRefusedException;
import io.batchyard.jobs.enhancement.EnhancementRequests;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Requesters: {@code POST /enhancement-requests/} ({@code EnhancementRequestIn}) and
 * {@code GET /enhancement-requests/{id}/} ({@code EnhancementRequestRead}, its status
 * computed from its pending enhancements).
 */
@RestController
class EnhancementRequestsController {

	private final EnhancementRequests requests;

	private final RobotsProperties robots;

	EnhancementRequestsController(EnhancementRequests requests, RobotsProperties robots) {
		this.requests = requests;
		this.robots = robots;
	}

	@PostMapping({ "/enhancement-requests", "/enhancement-requests/" })
	ResponseEntity<Object> create(@RequestBody JsonNode body) {
		if (body == null || !body.isObject()) {
			throw new IllegalArgumentException("Expected an EnhancementRequestIn JSON object");
		}
		JsonNode robot = body.get("robot_id");
		if (robot == null || !robot.isString() || robot.asString().isBlank()) {
			throw new IllegalArgumentException("robot_id is required");
		}
		if (!this.robots.clients().containsKey(robot.asString())) {
			throw new IllegalArgumentException("Unknown robot_id: " + robot.asString());
		}
		JsonNode ids = body.get("reference_ids");
		if (ids == null || !ids.isArray() || ids.isEmpty()) {
			throw new IllegalArgumentException("reference_ids must be a non-empty list of UUIDs");
		}
		List<UUID> references = new ArrayList<>();
		for (JsonNode id : ids) {
			try {
				references.add(UUID.fromString(id.asString()));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("reference_ids must be UUIDs, not " + id);
			}
		}
		JsonNode source = body.get("source");
		String sourceText = (source != null && !source.isNull()) ? source.asString() : null;
		EnhancementRequests.Request request = this.requests.create(robot.asString(), references, sourceText);
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(read(request));
	}

	@GetMapping({ "/enhancement-requests/{id}", "/enhancement-requests/{id}/" })
	Map<String, Object> find(@PathVariable UUID id) {
		return this.requests.find(id)
			.map(EnhancementRequestsController::read)
			.orElseThrow(() -> new ApiRefusedException(HttpStatus.NOT_FOUND, "No enhancement request " + id));
	}

	static Map<String, Object> read(EnhancementRequests.Request request) {
		Map<String, Object> read = new LinkedHashMap<>();
		read.put("id", request.id());
		read.put("robot_id", request.robotId());
		read.put("reference_ids", request.referenceIds());
		read.put("source", request.source());
		read.put("request_status", request.status().value());
		read.put("reference_data_url", null);
		read.put("result_storage_url", null);
		read.put("validation_result_url", null);
		read.put("error", request.error());
		return read;
	}

}
