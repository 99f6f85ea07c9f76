package io.batchyard.jobs.manifestupdate;

import java.util.Map;

import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.UnmappableMessageException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * DLCS batch-completion notifications as Protagonist publishes them: the current and the
 * older body, raw and in the SNS envelope.
 */
class BatchCompletionMessageMapperTests {

	static final String CURRENT = """
			{"id":1001,"customer":2,"count":3,"completed":2,"errors":1,"superseded":false,\
			"submitted":"2026-11-20T09:00:00.123Z","finished":"2026-11-20T09:01:10.456Z"}""";

	static final String OLDER = """
			{"id":1001,"customerId":2,"total":3,"success":2,"errors":1,"superseded":false,\
			"started":"2026-11-20T09:00:00","finished":"2026-11-20T09:01:10"}""";

	private final BatchCompletionMessageMapper mapper = new BatchCompletionMessageMapper(JsonMapper.shared(),
			"manifestUpdateJob");

	@Test
	void mapsTheCurrentShape() throws Exception {
		LaunchRequest request = this.mapper.map(CURRENT, Map.of("CustomerId", "2"));

		assertThat(request.job()).isEqualTo("manifestUpdateJob");
		assertThat(request.parameters()).containsOnly(Map.entry("customer", "2,java.lang.Long"),
				Map.entry("batchId", "1001,java.lang.Long"),
				Map.entry("finished", "2026-11-20T09:01:10.456Z,java.lang.String,false"));
	}

	@Test
	void mapsTheOlderShape() throws Exception {
		assertThat(this.mapper.map(OLDER, Map.of()).parameters()).containsOnly(
				Map.entry("customer", "2,java.lang.Long"), Map.entry("batchId", "1001,java.lang.Long"),
				Map.entry("finished", "2026-11-20T09:01:10,java.lang.String,false"));
	}

	@Test
	void unwrapsTheSnsEnvelopeOfEitherShape() throws Exception {
		for (String body : new String[] { CURRENT, OLDER }) {
			String envelope = JsonMapper.shared()
				.writeValueAsString(Map.of("Type", "Notification", "MessageId", "6f1c0f7e-1d5c-5b1e-9c39-2f0e9d7f1a11",
						"TopicArn", "arn:aws:sns:eu-west-1:123456789012:dlcs-batch-completion", "Message", body,
						"Timestamp", "2026-11-20T09:01:11.000Z", "SignatureVersion", "1"));
			assertThat(this.mapper.map(envelope, Map.of()).parameters()).containsEntry("customer", "2,java.lang.Long")
				.containsEntry("batchId", "1001,java.lang.Long");
		}
	}

	@Test
	void leavesOutAFinishedTimeThatIsNull() throws Exception {
		assertThat(this.mapper.map(CURRENT.replace("\"2026-11-20T09:01:10.456Z\"", "null"), Map.of()).parameters())
			.containsOnlyKeys("customer", "batchId");
	}

	@Test
	void refusesAMessageWithAFieldOfEachShapeMissing() {
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(() -> this.mapper.map(CURRENT.replace("\"count\":3,", ""), Map.of()))
			.withMessage("Not a DLCS batch-completion notification: as the current shape ['count' is missing];"
					+ " as the older shape ['customerId' is missing, 'total' is missing, 'success' is missing,"
					+ " 'started' is missing]");
	}

	@Test
	void refusesWrongTypes() {
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(() -> this.mapper.map(CURRENT.replace("\"id\":1001", "\"id\":\"1001\"")
				.replace("\"superseded\":false", "\"superseded\":\"no\""), Map.of()))
			.withMessageStartingWith(
					"Not a DLCS batch-completion notification: as the current shape ['id' must be a positive integer,"
							+ " 'superseded' must be a boolean]");
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(
					() -> this.mapper.map(CURRENT.replace("\"2026-11-20T09:00:00.123Z\"", "\"yesterday\""), Map.of()))
			.withMessageContaining("'submitted' must be a date-time");
	}

	@Test
	void refusesBodiesThatAreNotJsonObjects() {
		assertThatExceptionOfType(UnmappableMessageException.class).isThrownBy(() -> this.mapper.map("", Map.of()))
			.withMessage("Body is empty; expected a DLCS batch-completion notification");
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(() -> this.mapper.map("{\"id\": ", Map.of()))
			.withMessageStartingWith("Body is not JSON: ");
		assertThatExceptionOfType(UnmappableMessageException.class).isThrownBy(() -> this.mapper.map("[1]", Map.of()))
			.withMessage("A batch-completion notification must be a JSON object");
	}

	@Test
	void refusesAnEnvelopeWhoseMessageIsNotANotification() {
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(() -> this.mapper.map("{\"TopicArn\":\"arn:aws:sns:eu-west-1:1:t\",\"Message\":\"not json\"}",
					Map.of()))
			.withMessageStartingWith("SNS envelope's Message is not JSON: ");
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(() -> this.mapper.map("{\"TopicArn\":\"arn:aws:sns:eu-west-1:1:t\",\"Message\":{}}", Map.of()))
			.withMessageStartingWith("SNS envelope's 'Message' must be a string");
	}

}
