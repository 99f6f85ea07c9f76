package io.batchyard.jobs.partition;

import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.integration.partition.StepExecutionRequest;

/**
 * A {@link StepExecutionRequest} as the JSON body of a queue message:
 * {@code {"stepName":"loadReferenceRangeStep","stepExecutionId":42}}.
 * <p>
 * Spring Batch 6 gives the request no wire format of its own (it is {@code Serializable},
 * with getters and a private no-argument constructor); Java serialization of a queue body
 * would let whoever can send to the queue choose classes to instantiate. So the body is
 * JSON written with Jackson 3 and read field by field: an object of at most
 * {@value #MAX_LENGTH} characters with a step name of at most 100 letters, digits,
 * {@code .}, {@code _} or {@code -} and a positive step execution id; other fields are
 * ignored (a later version may add some).
 */
public final class PartitionRequestJson {

	/** The longest body read. */
	public static final int MAX_LENGTH = 1024;

	private static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

	private final JsonMapper mapper;

	public PartitionRequestJson(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * The request as JSON.
	 * @param request the request
	 * @return the body
	 */
	public String write(StepExecutionRequest request) {
		return this.mapper.writeValueAsString(this.mapper.createObjectNode()
			.put("stepName", request.getStepName())
			.put("stepExecutionId", request.getStepExecutionId()));
	}

	/**
	 * Reads a request.
	 * @param body the message body
	 * @return the request
	 * @throws IllegalArgumentException naming what is wrong with the body
	 */
	public StepExecutionRequest read(String body) {
		if (body == null || body.isBlank()) {
			throw new IllegalArgumentException("The partition request is empty");
		}
		if (body.length() > MAX_LENGTH) {
			throw new IllegalArgumentException(
					"The partition request has " + body.length() + " characters, more than " + MAX_LENGTH);
		}
		JsonNode node;
		try {
			node = this.mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("The partition request is not JSON: " + ex.getOriginalMessage());
		}
		if (node == null || !node.isObject()) {
			throw new IllegalArgumentException("The partition request must be a JSON object");
		}
		JsonNode stepName = node.get("stepName");
		if (stepName == null || !stepName.isString() || !STEP_NAME.matcher(stepName.stringValue()).matches()) {
			throw new IllegalArgumentException(
					"The partition request needs a 'stepName' of 1 to 100 letters," + " digits, '.', '_' or '-'");
		}
		JsonNode id = node.get("stepExecutionId");
		if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() < 1) {
			throw new IllegalArgumentException("The partition request needs a positive integer 'stepExecutionId'");
		}
		return new StepExecutionRequest(stepName.stringValue(), id.longValue());
	}

}
