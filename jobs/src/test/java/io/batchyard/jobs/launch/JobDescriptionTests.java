package io.batchyard.jobs.launch;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.batchyard.jobs.launch.ParameterDeclaration.DefaultValue;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * A job's declared parameters and the validator built from them.
 */
class JobDescriptionTests {

	private static final Instant NOW = Instant.parse("2026-11-23T03:30:17.123Z");

	private final JobDescription description = JobDescription.of("importJob", "imports one batch")
		.parameter(ParameterDeclaration.named("batchId", String.class)
			.required()
			.format(ValueFormat.UUID)
			.description("the batch to import")
			.example("0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f"))
		.parameter(
				ParameterDeclaration.named("customer", Long.class).required().description("the customer").example("2"))
		.parameter(ParameterDeclaration.named("limit", Long.class)
			.notIdentifying()
			.defaultValue(DefaultValue.of("100"))
			.description("how many lines at most")
			.example("100"))
		.parameter(ParameterDeclaration.named("asOf", String.class)
			.required()
			.defaultValue(DefaultValue.NOW)
			.format(ValueFormat.INSTANT)
			.description("the reference time")
			.example("2026-11-23T03:30:00Z")
			.orInstead("fireTime"))
		.parameter(ParameterDeclaration.named("fireTime", String.class)
			.format(ValueFormat.INSTANT)
			.description("the schedule's fire time")
			.setBy("schedules"))
		.check((parameters) -> {
			if (parameters.getLong("customer") == 13L) {
				throw new InvalidJobParametersException("Customer 13 is suspended");
			}
		})
		.build();

	private final JobParametersParser parser = new JobParametersParser();

	@Test
	void acceptsParametersAsDeclaredAndUndeclaredOnes() {
		assertThatNoException().isThrownBy(() -> validate(valid().addString("note", "anything").toJobParameters()));
	}

	@Test
	void namesAMissingRequiredParameterWithItsDescriptionAndExample() {
		assertThat(refusal(new JobParametersBuilder().addLong("customer", 2L)
			.addString("asOf", "2026-11-23T03:30:00Z")
			.toJobParameters()))
			.isEqualTo("importJob needs the identifying parameter 'batchId' (String, a UUID): the batch to import"
					+ " (for example 0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f)")
			.isEqualTo(this.description.missing(this.description.parameter("batchId").orElseThrow()));
		assertThat(refusal(new JobParametersBuilder().addString("batchId", "0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f")
			.addLong("customer", 2L)
			.toJobParameters()))
			.isEqualTo("importJob needs the identifying parameter 'asOf' (String, an ISO-8601 instant): the reference"
					+ " time (for example 2026-11-23T03:30:00Z); schedules pass 'fireTime' instead");
	}

	@Test
	void anAlternativeStandsInForAMissingParameter() {
		assertThatNoException().isThrownBy(
				() -> validate(new JobParametersBuilder().addString("batchId", "0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f")
					.addLong("customer", 2L)
					.addString("fireTime", "2026-11-23T03:30:00Z")
					.toJobParameters()));
	}

	@Test
	void refusesAnotherTypeANonIdentifyingKeyAnIdentifyingSettingAndAMalformedValue() {
		assertThat(refusal(valid().addString("customer", "2").toJobParameters()))
			.isEqualTo("Parameter 'customer' must be a java.lang.Long, not a java.lang.String");
		assertThat(
				refusal(valid().addString("batchId", "0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f", false).toJobParameters()))
			.isEqualTo("Parameter 'batchId' must be identifying (it names the job instance): give it as 'value' or"
					+ " 'value,type,true'");
		assertThat(refusal(valid().addLong("limit", 5L, true).toJobParameters()))
			.isEqualTo("Parameter 'limit' must not be identifying (it does not name the job instance): give it as"
					+ " 'value' or 'value,java.lang.Long,false'");
		assertThat(refusal(valid().addString("batchId", "1-2-3-4-5").toJobParameters())).isEqualTo(
				"Parameter 'batchId' must be a UUID such as 0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f, not '1-2-3-4-5'");
		assertThat(refusal(valid().addString("asOf", "yesterday").toJobParameters()))
			.isEqualTo("Parameter 'asOf' must be an ISO-8601 instant such as 2026-11-23T03:30:00Z, not 'yesterday'");
	}

	@Test
	void runsTheAttachedChecksAfterTheDeclarations() {
		assertThat(refusal(valid().addLong("customer", 13L).toJobParameters())).isEqualTo("Customer 13 is suspended");
		// The declarations first: the check may rely on customer being a Long.
		assertThat(refusal(valid().addString("customer", "13").toJobParameters()))
			.startsWith("Parameter 'customer' must be a java.lang.Long");
	}

	@Test
	void givesBareValuesTheDeclaredTypeAndFlagAndLeavesExplicitNotationAlone() {
		Map<String, String> given = new LinkedHashMap<>();
		given.put("batchId", "0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f");
		given.put("customer", "2");
		given.put("limit", "5");
		given.put("asOf", "2026-11-23T03:30:00Z,java.lang.String,false");
		given.put("note", "kept");
		JobParameters parameters = this.parser.parse(this.description.complete(given, true, NOW));
		assertThat(parameters.getParameter("customer").value()).isEqualTo(2L);
		assertThat(parameters.getParameter("customer").identifying()).isTrue();
		assertThat(parameters.getParameter("limit").value()).isEqualTo(5L);
		assertThat(parameters.getParameter("limit").identifying()).isFalse();
		assertThat(parameters.getParameter("asOf").identifying()).isFalse();
		assertThat(parameters.getParameter("note").value()).isEqualTo("kept");
		assertThat(refusal(parameters)).startsWith("Parameter 'asOf' must be identifying");
	}

	@Test
	void aBareValueThatIsNotOfTheDeclaredTypeIsRefusedByTheParserNamingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.parser.parse(this.description.complete(Map.of("customer", "two"), true, NOW)))
			.withMessage("Parameter 'customer': 'two' is not a Long (for example 42)");
	}

	@Test
	void defaultsTheLaunchTimeOnlyForALaunchByHandAndNotOverAnAlternative() {
		Map<String, String> given = Map.of("batchId", "0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f", "customer", "2");
		Map<String, String> byHand = this.description.complete(given, true, NOW);
		assertThat(byHand).containsEntry("asOf", "2026-11-23T03:30:17Z,java.lang.String,true")
			.containsEntry("limit", "100,java.lang.Long,false");
		assertThatNoException().isThrownBy(() -> validate(this.parser.parse(byHand)));

		Map<String, String> fromAQueue = this.description.complete(given, false, NOW);
		assertThat(fromAQueue).doesNotContainKey("asOf").containsEntry("limit", "100,java.lang.Long,false");
		assertThat(refusal(this.parser.parse(fromAQueue)))
			.startsWith("importJob needs the identifying parameter 'asOf'");

		Map<String, String> scheduled = new LinkedHashMap<>(given);
		scheduled.put("fireTime", "2026-11-23T03:00:00Z");
		assertThat(this.description.complete(scheduled, true, NOW)).doesNotContainKey("asOf");
	}

	@Test
	void theValidatorIsOneInstance() {
		assertThat(this.description.validator()).isSameAs(this.description.validator());
	}

	@Test
	void refusesADeclarationThatContradictsItself() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ParameterDeclaration.named("batchId", String.class)
				.format(ValueFormat.UUID)
				.description("d")
				.example("not-a-uuid")
				.build())
			.withMessage("Parameter 'batchId': example 'not-a-uuid' is not a UUID");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ParameterDeclaration.named("n", Long.class).description("d").example("x").build())
			.withMessage("'x' is not a Long (for example 42)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ParameterDeclaration.named("f", java.io.File.class).description("d").build())
			.withMessageStartingWith("Parameter 'f': type class java.io.File is not one of");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JobDescription.of("j", "d")
				.parameter(ParameterDeclaration.named("asOf", String.class).description("d").orInstead("fireTime"))
				.build())
			.withMessage("j: 'asOf' names the undeclared parameter 'fireTime' as its alternative");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JobDescription.of("j", "d")
				.parameter(ParameterDeclaration.named("a", String.class).description("d"))
				.parameter(ParameterDeclaration.named("a", Long.class).description("d"))
				.build())
			.withMessage("j declares 'a' twice");
	}

	private JobParametersBuilder valid() {
		return new JobParametersBuilder().addString("batchId", "0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f")
			.addLong("customer", 2L)
			.addString("asOf", "2026-11-23T03:30:00Z");
	}

	private void validate(JobParameters parameters) throws InvalidJobParametersException {
		this.description.validator().validate(parameters);
	}

	private String refusal(JobParameters parameters) {
		try {
			validate(parameters);
		}
		catch (InvalidJobParametersException ex) {
			return ex.getMessage();
		}
		throw new AssertionError("Accepted " + parameters);
	}

}
