package io.batchyard.launcher.trigger.sqs;

import java.util.Map;

import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.UnmappableMessageException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JsonLaunchMessageMapperTests {

	private final JsonLaunchMessageMapper mapper = new JsonLaunchMessageMapper(JsonMapper.builder().build());

	@Test
	void mapsJobAndParametersInSpringBatchNotation() throws Exception {
		LaunchRequest request = this.mapper.map("""
				{"job": "repositoryPurgeJob", "parameters": {"asOf": "2026-11-23T00:00:00Z",
				 "batch": 42, "ratio": 1.5, "dryRun": true, "note": "x,java.lang.String,false"}}""", Map.of());
		assertThat(request.job()).isEqualTo("repositoryPurgeJob");
		assertThat(request.parameters()).containsOnly(Map.entry("asOf", "2026-11-23T00:00:00Z"),
				Map.entry("batch", "42,java.lang.Long"), Map.entry("ratio", "1.5,java.lang.Double"),
				Map.entry("dryRun", "true,java.lang.Boolean"), Map.entry("note", "x,java.lang.String,false"));
	}

	@Test
	void parametersMayBeLeftOut() throws Exception {
		assertThat(this.mapper.map("{\"job\": \"repositoryPurgeJob\"}", Map.of()).parameters()).isEmpty();
	}

	@Test
	void saysWhereTheBodyIsNotJson() {
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(() -> this.mapper.map("{\"job\": \"repositoryPurgeJob\",\n oops}", Map.of()))
			.withMessageStartingWith("Body is not JSON: ")
			.withMessageContaining("at line 2, column");
	}

	@Test
	void refusesAnEmptyBody() {
		assertThatExceptionOfType(UnmappableMessageException.class).isThrownBy(() -> this.mapper.map(" ", Map.of()))
			.withMessage("Body is empty; expected {\"job\": ..., \"parameters\": {...}}");
	}

	@Test
	void refusesABodyThatIsNotAnObject() {
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(() -> this.mapper.map("[\"repositoryPurgeJob\"]", Map.of()))
			.withMessage("Body must be a JSON object {\"job\": ..., \"parameters\": {...}}, not an array");
	}

	@Test
	void refusesAMissingOrNonStringJob() {
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(() -> this.mapper.map("{\"parameters\": {}}", Map.of()))
			.withMessage("Field 'job' must be a non-empty string, not missing");
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(() -> this.mapper.map("{\"job\": 7}", Map.of()))
			.withMessage("Field 'job' must be a non-empty string, not a number");
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(() -> this.mapper.map("{\"job\": \"\"}", Map.of()))
			.withMessage("Field 'job' must be a non-empty string, not an empty string");
	}

	@Test
	void refusesUnknownFieldsInsteadOfDroppingThem() {
		assertThatExceptionOfType(UnmappableMessageException.class).isThrownBy(
				() -> this.mapper.map("{\"job\": \"repositoryPurgeJob\", \"parameter\": {\"asOf\": \"x\"}}", Map.of()))
			.withMessage("Unknown field(s) [parameter]; expected only [job, parameters]");
	}

	@Test
	void refusesParametersThatAreNotAnObjectOrHaveNestedValues() {
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(() -> this.mapper.map("{\"job\": \"j\", \"parameters\": [1]}", Map.of()))
			.withMessage("Field 'parameters' must be an object, not an array");
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(() -> this.mapper.map("{\"job\": \"j\", \"parameters\": {\"asOf\": null}}", Map.of()))
			.withMessage("Parameter 'asOf' must be a string, number or boolean, not null");
		assertThatExceptionOfType(UnmappableMessageException.class)
			.isThrownBy(() -> this.mapper.map("{\"job\": \"j\", \"parameters\": {\"range\": {\"from\": 1}}}", Map.of()))
			.withMessage("Parameter 'range' must be a string, number or boolean, not an object or array");
	}

}
