package io.batchyard.jobs.housekeeping;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class PurgeCutoffTests {

	private final PurgeCutoff cutoff = new PurgeCutoff(Duration.ofDays(30));

	@Test
	void subtractsTheRetentionFromAsOfInTheRepositoryZone() throws Exception {
		assertThat(this.cutoff.cutoff("2026-11-23T03:30:00Z", null, ZoneOffset.UTC))
			.isEqualTo(LocalDateTime.of(2026, 10, 24, 3, 30));
		assertThat(this.cutoff.cutoff("2026-11-23T03:30:00Z", null, ZoneId.of("Europe/Paris")))
			.isEqualTo(LocalDateTime.of(2026, 10, 24, 5, 30));
	}

	@Test
	void acceptsAnInstantWithAnOffset() throws Exception {
		assertThat(this.cutoff.cutoff("2026-11-23T04:30:00+01:00", null, ZoneOffset.UTC))
			.isEqualTo(LocalDateTime.of(2026, 10, 24, 3, 30));
	}

	@Test
	void fallsBackToTheScheduleFireTime() throws Exception {
		assertThat(this.cutoff.cutoff(null, "2026-11-23T03:30:00Z", ZoneOffset.UTC))
			.isEqualTo(LocalDateTime.of(2026, 10, 24, 3, 30));
	}

	@Test
	void prefersAsOfOverFireTime() throws Exception {
		assertThat(this.cutoff.cutoff("2026-01-31T00:00:00Z", "2026-11-23T03:30:00Z", ZoneOffset.UTC))
			.isEqualTo(LocalDateTime.of(2026, 1, 1, 0, 0));
	}

	@Test
	void honoursAnotherRetention() throws Exception {
		assertThat(new PurgeCutoff(Duration.ofHours(6)).cutoff("2026-11-23T03:30:00Z", null, ZoneOffset.UTC))
			.isEqualTo(LocalDateTime.of(2026, 11, 22, 21, 30));
	}

	@Test
	void refusesMissingParameters() {
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> this.cutoff.cutoff(null, null, ZoneOffset.UTC))
			.withMessageContaining("needs the identifying parameter 'asOf'")
			.withMessageContaining("'fireTime'");
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> this.cutoff.validate(new JobParameters()))
			.withMessage(RepositoryPurgeJobConfiguration.JOB_NAME
					+ " needs the identifying parameter 'asOf' (String, an ISO-8601 instant): the run's reference time;"
					+ " the same asOf names the same run, so launching it again resumes it (for example"
					+ " 2026-11-23T03:30:00Z); schedules pass 'fireTime' instead");
	}

	@Test
	void refusesAReferenceTimeWhoseCutoffTheRepositoryCannotHold() {
		// Instant.parse reads years beyond LocalDateTime's range; the step would fail on
		// them after the launch, the check refuses them before.
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> new PurgeCutoff(Duration.ofDays(30), ZoneOffset.UTC).validate(
					new JobParametersBuilder().addString("asOf", "+1000000000-12-31T23:59:59Z").toJobParameters()))
			.withMessage("Parameter 'asOf': +1000000000-12-31T23:59:59Z minus the retention of PT720H is outside"
					+ " the dates the repository can hold");
	}

	@Test
	void namesTheMalformedParameter() {
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> this.cutoff.cutoff("yesterday", null, ZoneOffset.UTC))
			.withMessage("Parameter 'asOf' must be an ISO-8601 instant such as 2026-11-23T03:30:00Z, not 'yesterday'");
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> this.cutoff.cutoff(null, "2026-11-23", ZoneOffset.UTC))
			.withMessage(
					"Parameter 'fireTime' must be an ISO-8601 instant such as 2026-11-23T03:30:00Z, not '2026-11-23'");
		// A local date-time has no offset: it is not an instant.
		assertThatExceptionOfType(InvalidJobParametersException.class).isThrownBy(() -> this.cutoff
			.validate(new JobParametersBuilder().addString("asOf", "2026-11-23T03:30:00").toJobParameters()));
	}

	@Test
	void validatesWellFormedParameters() {
		assertThatNoException().isThrownBy(() -> this.cutoff
			.validate(new JobParametersBuilder().addString("fireTime", "2026-11-23T03:30:00Z").toJobParameters()));
	}

}
