package io.batchyard.jobs.support;

import java.time.Instant;

import io.batchyard.jobs.launch.JobDescription;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * {@code asOf} and {@code fireTime} as scheduled jobs declare them: the validator built
 * from the declarations, and the parse the job's readers use.
 */
class ReferenceTimeTests {

	private final JobParametersValidator validator = ReferenceTime
		.declare(JobDescription.of("someJob", "does something as of a time"))
		.build()
		.validator();

	@Test
	void acceptsAnIdentifyingAsOfOrFireTime() {
		assertThatNoException().isThrownBy(() -> this.validator
			.validate(new JobParametersBuilder().addString("asOf", "2026-11-23T03:30:00Z").toJobParameters()));
		assertThatNoException().isThrownBy(() -> this.validator
			.validate(new JobParametersBuilder().addString("fireTime", "2026-11-23T03:30:00Z").toJobParameters()));
	}

	@Test
	void refusesAReferenceTimeThatDoesNotIdentifyTheRun() {
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> this.validator.validate(
					new JobParametersBuilder().addString("asOf", "2026-11-23T03:30:00Z", false).toJobParameters()))
			.withMessageStartingWith("Parameter 'asOf' must be identifying");
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> this.validator.validate(
					new JobParametersBuilder().addString("fireTime", "2026-11-23T03:30:00Z", false).toJobParameters()))
			.withMessageStartingWith("Parameter 'fireTime' must be identifying");
	}

	@Test
	void refusesAReferenceTimeOfAnotherType() {
		assertThatExceptionOfType(InvalidJobParametersException.class).isThrownBy(
				() -> this.validator.validate(new JobParametersBuilder().addLong("asOf", 20261123L).toJobParameters()))
			.withMessage("Parameter 'asOf' must be a java.lang.String holding an ISO-8601 instant such as "
					+ "2026-11-23T03:30:00Z, not a java.lang.Long");
	}

	@Test
	void theReadersParseGivesTheValidatorsMessageForAMissingReferenceTime() {
		String validatorMessage = messageOf(
				() -> this.validator.validate(new JobParametersBuilder().toJobParameters()));
		String parseMessage = messageOf(() -> new ReferenceTime("someJob").parse(null, null));
		assertThat(parseMessage).isEqualTo(validatorMessage)
			.startsWith("someJob needs the identifying parameter 'asOf' (String, an ISO-8601 instant)")
			.endsWith("; schedules pass 'fireTime' instead");
	}

	@Test
	void parsesAsOfBeforeFireTime() throws Exception {
		assertThat(new ReferenceTime("someJob").parse("2026-01-01T00:00:00Z", "2026-11-23T03:30:00Z"))
			.isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
		assertThat(new ReferenceTime("someJob").parse(null, "2026-11-23T03:30:00Z"))
			.isEqualTo(Instant.parse("2026-11-23T03:30:00Z"));
	}

	private static String messageOf(Check check) {
		try {
			check.run();
		}
		catch (InvalidJobParametersException ex) {
			return ex.getMessage();
		}
		throw new AssertionError("not refused");
	}

	interface Check {

		void run() throws InvalidJobParametersException;

	}

}
