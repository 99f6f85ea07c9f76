package io.batchyard.jobs.support;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.launch.ParameterDeclaration;
import io.batchyard.jobs.launch.ParameterDeclaration.DefaultValue;
import io.batchyard.jobs.launch.ValueFormat;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;

/**
 * The identifying reference time of a scheduled job's run: {@code asOf} when given by
 * hand (the launch time when a person leaves it out), otherwise the schedule's
 * {@code fireTime}. A duplicate launch for the same time finds the same instance, and a
 * relaunch resumes it. Cut-offs derive from it, so a restart reads the same rows.
 * <p>
 * Jobs declare both parameters with {@link #declare}; their validator (built from the
 * declarations) refuses a missing, malformed or non-identifying reference time before the
 * job starts, and {@link #parse} reads it in the job's step-scoped beans.
 */
public final class ReferenceTime {

	public static final String AS_OF = "asOf";

	public static final String FIRE_TIME = "fireTime";

	private static final String EXAMPLE = "2026-11-23T03:30:00Z";

	/** {@code asOf}, as every scheduled job declares it. */
	public static final ParameterDeclaration AS_OF_PARAMETER = ParameterDeclaration.named(AS_OF, String.class)
		.required()
		.defaultValue(DefaultValue.NOW)
		.format(ValueFormat.INSTANT)
		.description("the run's reference time; the same asOf names the same run, so launching it again resumes it")
		.example(EXAMPLE)
		.orInstead(FIRE_TIME)
		.build();

	/** {@code fireTime}, which the scheduler sets. */
	public static final ParameterDeclaration FIRE_TIME_PARAMETER = ParameterDeclaration.named(FIRE_TIME, String.class)
		.format(ValueFormat.INSTANT)
		.description("the schedule's fire time, the reference time of a scheduled run when asOf is not given")
		.example(EXAMPLE)
		.setBy("schedules")
		.build();

	private final String jobName;

	public ReferenceTime(String jobName) {
		this.jobName = jobName;
	}

	/**
	 * Declares {@code asOf} and {@code fireTime} on a job's description.
	 * @param description the job's description
	 * @return the same builder
	 */
	public static JobDescription.Builder declare(JobDescription.Builder description) {
		return description.parameter(AS_OF_PARAMETER).parameter(FIRE_TIME_PARAMETER);
	}

	/**
	 * Reads the reference time.
	 * @param asOf the {@code asOf} parameter, or {@code null}
	 * @param fireTime the {@code fireTime} parameter, or {@code null}
	 * @return the reference time
	 * @throws InvalidJobParametersException if neither is an ISO-8601 instant, with the
	 * message the job's validator gives
	 */
	public Instant parse(String asOf, String fireTime) throws InvalidJobParametersException {
		String name = (asOf != null) ? AS_OF : FIRE_TIME;
		String value = (asOf != null) ? asOf : fireTime;
		if (value == null) {
			throw new InvalidJobParametersException(
					JobDescription.missing(this.jobName, AS_OF_PARAMETER, List.of(FIRE_TIME_PARAMETER)));
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeException ex) {
			throw new InvalidJobParametersException("Parameter '" + name + "' must be "
					+ ValueFormat.INSTANT.description() + " such as " + EXAMPLE + ", not '" + value + "'");
		}
	}

}
