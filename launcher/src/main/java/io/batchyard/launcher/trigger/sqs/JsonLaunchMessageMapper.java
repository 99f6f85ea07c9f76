package io.batchyard.launcher.trigger.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.batchyard.jobs.launch.JobParameterValues;
import io.batchyard.jobs.launch.LaunchMessageMapper;
import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.UnmappableMessageException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The generic launch message, {@code {"job": "name", "parameters": {"key": value}}}.
 * Parameter values are read as the HTTP API reads them ({@link JobParameterValues}).
 * Unknown fields are refused rather than ignored: a misspelt {@code "parameter"} would
 * otherwise launch the job without its parameters.
 */
class JsonLaunchMessageMapper implements LaunchMessageMapper {

	private static final List<String> FIELDS = List.of("job", "parameters");

	private final JsonMapper jsonMapper;

	JsonLaunchMessageMapper(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public LaunchRequest map(String body, Map<String, String> attributes) throws UnmappableMessageException {
		JsonNode root = parse(body);
		if (!root.isObject()) {
			throw new UnmappableMessageException(
					"Body must be a JSON object {\"job\": ..., \"parameters\": {...}}, not " + describe(root));
		}
		List<String> unknown = new ArrayList<>();
		root.propertyNames().forEach((name) -> {
			if (!FIELDS.contains(name)) {
				unknown.add(name);
			}
		});
		if (!unknown.isEmpty()) {
			throw new UnmappableMessageException("Unknown field(s) " + unknown + "; expected only " + FIELDS);
		}
		JsonNode job = root.get("job");
		if (job == null || !job.isString() || job.stringValue().isBlank()) {
			throw new UnmappableMessageException(
					"Field 'job' must be a non-empty string, not " + ((job == null) ? "missing" : describe(job)));
		}
		return new LaunchRequest(job.stringValue(), parameters(root.get("parameters")));
	}

	private JsonNode parse(String body) throws UnmappableMessageException {
		if (body == null || body.isBlank()) {
			throw new UnmappableMessageException("Body is empty; expected {\"job\": ..., \"parameters\": {...}}");
		}
		try {
			return this.jsonMapper.readTree(body);
		}
		catch (JacksonException ex) {
			// The original message leaves out Jackson's excerpt of the whole body.
			throw new UnmappableMessageException("Body is not JSON: " + ex.getOriginalMessage()
					+ ((ex.getLocation() != null)
							? " at line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr()
							: ""),
					ex);
		}
	}

	@SuppressWarnings("unchecked")
	private Map<String, String> parameters(JsonNode parameters) throws UnmappableMessageException {
		if (parameters == null || parameters.isNull()) {
			return Map.of();
		}
		if (!parameters.isObject()) {
			throw new UnmappableMessageException("Field 'parameters' must be an object, not " + describe(parameters));
		}
		try {
			return JobParameterValues.fromJson(this.jsonMapper.convertValue(parameters, Map.class));
		}
		catch (IllegalArgumentException ex) {
			throw new UnmappableMessageException(ex.getMessage(), ex);
		}
	}

	private static String describe(JsonNode node) {
		return switch (node.getNodeType()) {
			case ARRAY -> "an array";
			case OBJECT -> "an object";
			case NULL -> "null";
			case STRING -> (node.stringValue().isBlank() ? "an empty string" : "a string");
			case NUMBER -> "a number";
			case BOOLEAN -> "a boolean";
			default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
		};
	}

}
