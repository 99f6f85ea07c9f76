package io.batchyard.jobs.manifestupdate;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.batchyard.jobs.launch.LaunchMessageMapper;
import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.UnmappableMessageException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Maps a DLCS batch-completion notification to a launch of {@code manifestUpdateJob} with
 * the identifying parameters {@code customer} and {@code batchId}. Accepts the raw body
 * or an SNS envelope ({@code TopicArn} + {@code Message}), and, as iiif-presentation
 * does, first the current shape with every field required ({@code id}, {@code customer},
 * {@code count}, {@code completed}, {@code errors}, {@code superseded},
 * {@code submitted}, {@code finished}), then the older one ({@code id},
 * {@code customerId}, {@code total}, {@code success}, {@code errors}, {@code superseded},
 * {@code started}, {@code finished}). {@code finished} may be null.
 */
public class BatchCompletionMessageMapper implements LaunchMessageMapper {

	static final List<String> CURRENT = List.of("id", "customer", "count", "completed", "errors", "superseded",
			"submitted", "finished");

	static final List<String> OLDER = List.of("id", "customerId", "total", "success", "errors", "superseded", "started",
			"finished");

	private final JsonMapper jsonMapper;

	private final String job;

	public BatchCompletionMessageMapper(JsonMapper jsonMapper, String job) {
		this.jsonMapper = jsonMapper;
		this.job = job;
	}

	@Override
	public LaunchRequest map(String body, Map<String, String> attributes) throws UnmappableMessageException {
		JsonNode root = parse(body, "Body");
		if (root.isObject() && root.has("TopicArn") && root.has("Message")) {
			JsonNode message = root.get("Message");
			if (!message.isString()) {
				throw new UnmappableMessageException("SNS envelope's 'Message' must be a string, not " + message);
			}
			root = parse(message.stringValue(), "SNS envelope's Message");
		}
		if (!root.isObject()) {
			throw new UnmappableMessageException("A batch-completion notification must be a JSON object");
		}
		List<String> currentProblems = problems(root, CURRENT, "customer", "submitted");
		if (currentProblems.isEmpty()) {
			return request(root, "customer");
		}
		List<String> olderProblems = problems(root, OLDER, "customerId", "started");
		if (olderProblems.isEmpty()) {
			return request(root, "customerId");
		}
		throw new UnmappableMessageException("Not a DLCS batch-completion notification: as the current shape "
				+ currentProblems + "; as the older shape " + olderProblems);
	}

	private LaunchRequest request(JsonNode root, String customerField) {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put(ManifestUpdateJobConfiguration.CUSTOMER,
				root.get(customerField).longValue() + ",java.lang.Long");
		parameters.put(ManifestUpdateJobConfiguration.BATCH_ID, root.get("id").longValue() + ",java.lang.Long");
		JsonNode finished = root.get("finished");
		if (!finished.isNull()) {
			// Non-identifying: a redelivered notification finds the same instance.
			parameters.put(ManifestUpdateJobConfiguration.FINISHED, finished.stringValue() + ",java.lang.String,false");
		}
		return new LaunchRequest(this.job, parameters);
	}

	private static List<String> problems(JsonNode root, List<String> fields, String customerField,
			String submittedField) {
		List<String> problems = new ArrayList<>();
		for (String field : fields) {
			JsonNode value = root.get(field);
			if (value == null) {
				problems.add("'" + field + "' is missing");
				continue;
			}
			if (field.equals("superseded")) {
				if (!value.isBoolean()) {
					problems.add("'superseded' must be a boolean");
				}
			}
			else if (field.equals(submittedField) || field.equals("finished")) {
				if (!(value.isNull() && field.equals("finished")) && !isDateTime(value)) {
					problems.add("'" + field + "' must be a date-time" + (field.equals("finished") ? " or null" : ""));
				}
			}
			else if (!value.isIntegralNumber() || !value.canConvertToInt()
					|| ((field.equals("id") || field.equals(customerField)) && value.intValue() <= 0)) {
				problems.add("'" + field + "' must be a"
						+ ((field.equals("id") || field.equals(customerField)) ? " positive" : "n") + " integer");
			}
		}
		return problems;
	}

	private static boolean isDateTime(JsonNode value) {
		if (!value.isString()) {
			return false;
		}
		try {
			OffsetDateTime.parse(value.stringValue());
			return true;
		}
		catch (DateTimeParseException ex) {
			try {
				java.time.LocalDateTime.parse(value.stringValue());
				return true;
			}
			catch (DateTimeParseException ex2) {
				return false;
			}
		}
	}

	private JsonNode parse(String text, String what) throws UnmappableMessageException {
		if (text == null || text.isBlank()) {
			throw new UnmappableMessageException(what + " is empty; expected a DLCS batch-completion notification");
		}
		try {
			return this.jsonMapper.readTree(text);
		}
		catch (JacksonException ex) {
			throw new UnmappableMessageException(what + " is not JSON: " + ex.getOriginalMessage(), ex);
		}
	}

}
