package io.batchyard.jobs.support;

import java.time.DateTimeException;
import java.time.Instant;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The identifying reference time of a scheduled job's run: {@code asOf} when given by
 * hand, otherwise the schedule's {@code fireTime}. A duplicate launch for the same time
 * finds the same instance, and a relaunch resumes it. Cut-offs derive from it, so a
 * restart reads the same rows.
 */
public final class ReferenceTime implements JobParametersValidator {

	public static final String AS_OF = "asOf";

	public static final String FIRE_TIME = "fireTime";

	private final String jobName;

	public ReferenceTime(String jobName) {
		this.jobName = jobName;
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		String name = (parameters.getParameter(AS_OF) != null) ? AS_OF : FIRE_TIME;
		JobParameter<?> reference = parameters.getParameter(name);
		if (reference != null && !reference.identifying()) {
			// Not identifying, it would not name the run: a second launch for the same
			// time would start a new instance instead of finding this one.
			throw new InvalidJobParametersException("Parameter '" + name
					+ "' must be identifying: give it as '2026-11-23T03:30:00Z' or '2026-11-23T03:30:00Z,java.lang.String,true'");
		}
		if (reference != null && reference.type() != String.class) {
			throw new InvalidJobParametersException("Parameter '" + name + "' must be a java.lang.String holding an "
					+ "ISO-8601 instant such as 2026-11-23T03:30:00Z, not a " + reference.type().getName());
		}
		parse(parameters.getString(AS_OF), parameters.getString(FIRE_TIME));
	}

	/**
	 * Reads the reference time.
	 * @param asOf the {@code asOf} parameter, or {@code null}
	 * @param fireTime the {@code fireTime} parameter, or {@code null}
	 * @return the reference time
	 * @throws InvalidJobParametersException if neither is an ISO-8601 instant
	 */
	public Instant parse(String asOf, String fireTime) throws InvalidJobParametersException {
		String name = (asOf != null) ? AS_OF : FIRE_TIME;
		String value = (asOf != null) ? asOf : fireTime;
		if (value == null) {
			throw new InvalidJobParametersException(this.jobName + " needs the identifying parameter 'asOf' "
					+ "(an ISO-8601 instant such as 2026-11-23T03:30:00Z); schedules pass 'fireTime'");
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeException ex) {
			throw new InvalidJobParametersException("Parameter '" + name
					+ "' must be an ISO-8601 instant such as 2026-11-23T03:30:00Z, not '" + value + "'");
		}
	}

}
