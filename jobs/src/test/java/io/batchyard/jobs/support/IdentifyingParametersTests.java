package io.batchyard.jobs.support;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.DefaultJobParametersValidator;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class IdentifyingParametersTests {

	private final IdentifyingParameters validator = new IdentifyingParameters(
			new DefaultJobParametersValidator(new String[] { "batchId" }, new String[0]), "batchId");

	@Test
	void refusesABusinessKeyThatIsNotIdentifying() {
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> this.validator
				.validate(new JobParametersBuilder().addString("batchId", "b-1", false).toJobParameters()))
			.withMessage("Parameter 'batchId' must be identifying (it names the job instance): give it as 'value' "
					+ "or 'value,type,true'");
	}

	@Test
	void asksTheJobsOwnValidatorToo() {
		assertThatNoException().isThrownBy(() -> this.validator
			.validate(new JobParametersBuilder().addString("batchId", "b-1").toJobParameters()));
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> this.validator.validate(new JobParametersBuilder().toJobParameters()))
			.withMessageContaining("batchId");
	}

}
