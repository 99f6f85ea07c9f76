package io.batchyard.jobs.support;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class ReferenceTimeTests {

	private final ReferenceTime referenceTime = new ReferenceTime("someJob");

	@Test
	void acceptsAnIdentifyingAsOfOrFireTime() {
		assertThatNoException().isThrownBy(() -> this.referenceTime
			.validate(new JobParametersBuilder().addString("asOf", "2026-11-23T03:30:00Z").toJobParameters()));
		assertThatNoException().isThrownBy(() -> this.referenceTime
			.validate(new JobParametersBuilder().addString("fireTime", "2026-11-23T03:30:00Z").toJobParameters()));
	}

	@Test
	void refusesAReferenceTimeThatDoesNotIdentifyTheRun() {
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> this.referenceTime.validate(
					new JobParametersBuilder().addString("asOf", "2026-11-23T03:30:00Z", false).toJobParameters()))
			.withMessageStartingWith("Parameter 'asOf' must be identifying");
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> this.referenceTime.validate(
					new JobParametersBuilder().addString("fireTime", "2026-11-23T03:30:00Z", false).toJobParameters()))
			.withMessageStartingWith("Parameter 'fireTime' must be identifying");
	}

	@Test
	void refusesAReferenceTimeOfAnotherType() {
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> this.referenceTime
				.validate(new JobParametersBuilder().addLong("asOf", 20261123L).toJobParameters()))
			.withMessage("Parameter 'asOf' must be a java.lang.String holding an ISO-8601 instant such as "
					+ "2026-11-23T03:30:00Z, not a java.lang.Long");
	}

}
