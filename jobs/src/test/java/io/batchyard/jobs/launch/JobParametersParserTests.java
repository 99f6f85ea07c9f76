package io.batchyard.jobs.launch;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.batchyard.jobs.launch.JobParametersParser.InvalidParameterException;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JobParametersParserTests {

	private static final String ALLOWED = "java.lang.String, java.lang.Long, java.lang.Double, java.lang.Boolean, "
			+ "java.time.Instant, java.time.LocalDate, java.time.LocalDateTime, java.time.LocalTime, java.util.Date";

	private final JobParametersParser parser = new JobParametersParser();

	@Test
	void readsEveryAllowedTypeAndTheIdentifyingFlag() {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("text", "hello");
		parameters.put("count", "42,java.lang.Long");
		parameters.put("ratio", "0.5,java.lang.Double,false");
		parameters.put("flag", "TRUE,java.lang.Boolean,true");
		parameters.put("at", "2026-11-23T03:30:00Z,java.time.Instant");
		parameters.put("day", "2026-11-23,java.time.LocalDate");
		parameters.put("local", "2026-11-23T03:30:00,java.time.LocalDateTime");
		parameters.put("time", "03:30:00,java.time.LocalTime");
		parameters.put("date", "2026-11-23T03:30:00Z,java.util.Date,false");
		parameters.put("empty", "");

		JobParameters result = this.parser.parse(parameters);

		assertThat(result.parameters()).hasSize(10);
		assertThat(result.getParameter("text")).isEqualTo(new JobParameter<>("text", "hello", String.class, true));
		assertThat(result.getParameter("count")).isEqualTo(new JobParameter<>("count", 42L, Long.class, true));
		assertThat(result.getParameter("ratio")).isEqualTo(new JobParameter<>("ratio", 0.5, Double.class, false));
		assertThat(result.getParameter("flag")).isEqualTo(new JobParameter<>("flag", true, Boolean.class, true));
		assertThat(result.getParameter("at").value()).isEqualTo(Instant.parse("2026-11-23T03:30:00Z"));
		assertThat(result.getParameter("day").value()).isEqualTo(LocalDate.of(2026, 11, 23));
		assertThat(result.getParameter("local").value()).isEqualTo(LocalDateTime.of(2026, 11, 23, 3, 30));
		assertThat(result.getParameter("time").value()).isEqualTo(LocalTime.of(3, 30));
		assertThat(result.getParameter("date").value()).isEqualTo(Date.from(Instant.parse("2026-11-23T03:30:00Z")));
		assertThat(result.getParameter("date").identifying()).isFalse();
		assertThat(result.getParameter("empty").value()).isEqualTo("");
	}

	@Test
	void refusesEveryTypeOutsideTheAllowListWithoutLoadingIt() {
		assertRefused("x", "/tmp/evil,java.io.FileOutputStream,false",
				"Parameter 'x': type 'java.io.FileOutputStream' is not allowed; use one of " + ALLOWED);
		assertRefused("x",
				"file:/some/evil.xml,org.springframework.context.support.FileSystemXmlApplicationContext,false",
				"Parameter 'x': type 'org.springframework.context.support.FileSystemXmlApplicationContext' is not "
						+ "allowed; use one of " + ALLOWED);
		assertRefused("x", "1,com.example.NoSuchClass",
				"Parameter 'x': type 'com.example.NoSuchClass' is not allowed; " + "use one of " + ALLOWED);
		// A class whose static initialiser would run if anything loaded it by name.
		assertRefused("x", "1," + Tripwire.class.getName(),
				"Parameter 'x': type '" + Tripwire.class.getName() + "' is not allowed; use one of " + ALLOWED);
		assertThat(TripwireState.initialised).isFalse();
	}

	@Test
	void refusesAnIdentifyingFlagOtherThanTrueOrFalse() {
		assertRefused("asOf", "2020-01-01T00:00:00Z,java.lang.String,maybe",
				"Parameter 'asOf': identifying flag 'maybe' must be 'true' or 'false'");
		assertRefused("asOf", "2020-01-01T00:00:00Z,java.lang.String,",
				"Parameter 'asOf': identifying flag '' must be " + "'true' or 'false'");
	}

	@Test
	void refusesValuesTheirTypeCannotRead() {
		assertRefused("count", "many,java.lang.Long", "Parameter 'count': 'many' is not a Long (for example 42)");
		assertRefused("flag", "yes,java.lang.Boolean", "Parameter 'flag': 'yes' is not a Boolean (true or false)");
		assertRefused("at", "yesterday,java.time.Instant",
				"Parameter 'at': 'yesterday' is not a Instant (for example 2026-11-23T03:30:00Z)");
		assertRefused("x", "a,java.lang.String,true,extra",
				"Parameter 'x': 'a,java.lang.String,true,extra' is neither 'value' nor 'value,type,identifying' "
						+ "(for example '42,java.lang.Long,true')");
	}

	@Test
	void checksTheRepositoryLimitsBeforeAnythingIsWritten() {
		assertThat(this.parser.parse(Map.of("input", "v".repeat(2500))).getString("input")).hasSize(2500);
		assertRefused("input", "v".repeat(2501),
				"Parameter 'input': value of 2501 characters is longer than the limit of 2500");
		String longName = "n".repeat(101);
		assertRefused(longName, "1", "Parameter name '" + longName + "' is longer than the limit of 100 characters");
		assertRefused("a b", "1",
				"Parameter name 'a b' is not allowed: use a letter followed by letters, digits, " + "'_', '.' or '-'");
		assertRefused("1st", "1",
				"Parameter name '1st' is not allowed: use a letter followed by letters, digits, " + "'_', '.' or '-'");
		Map<String, String> many = new LinkedHashMap<>();
		for (int i = 0; i < 33; i++) {
			many.put("p" + i, "v");
		}
		assertThatExceptionOfType(InvalidParameterException.class).isThrownBy(() -> this.parser.parse(many))
			.withMessage("Too many job parameters: 33 (at most 32)");
	}

	@Test
	void writesTheNotationItReads() {
		Properties properties = new Properties();
		properties.setProperty("at", "2026-11-23T03:30:00Z,java.util.Date,false");
		properties.setProperty("count", "7,java.lang.Long");
		JobParameters parameters = this.parser.getJobParameters(properties);

		Properties written = this.parser.getProperties(parameters);

		assertThat(written.getProperty("at")).isEqualTo("2026-11-23T03:30:00Z,java.util.Date,false");
		assertThat(written.getProperty("count")).isEqualTo("7,java.lang.Long,true");
		assertThat(this.parser.getJobParameters(written)).isEqualTo(parameters);
	}

	private void assertRefused(String name, String notation, String message) {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put(name, notation);
		assertThatExceptionOfType(InvalidParameterException.class).isThrownBy(() -> this.parser.parse(parameters))
			.withMessage(message);
	}

	/** Read without initialising {@link Tripwire}. */
	static final class TripwireState {

		static volatile boolean initialised;

	}

	static final class Tripwire {

		static {
			TripwireState.initialised = true;
		}

		Tripwire(String value) {
		}

	}

}
