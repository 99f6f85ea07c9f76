package io.batchyard.jobs.housekeeping;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The reference time of a purge and the cut-off derived from it. The reference time is an
 * identifying job parameter, so a duplicate launch for the same time finds the same
 * instance and a relaunch resumes instead of starting over: {@code asOf} when given by
 * hand, otherwise the schedule's {@code fireTime}.
 */
public final class PurgeCutoff implements JobParametersValidator {

	static final String AS_OF = "asOf";

	static final String FIRE_TIME = "fireTime";

	private final Duration retention;

	public PurgeCutoff(Duration retention) {
		this.retention = retention;
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		referenceTime(parameters.getString(AS_OF), parameters.getString(FIRE_TIME));
	}

	/**
	 * The cut-off in the repository's time base (Spring Batch stores local date-times of
	 * the JVM's zone): executions that ended before it are purged.
	 * @param asOf the {@code asOf} parameter, or {@code null}
	 * @param fireTime the {@code fireTime} parameter, or {@code null}
	 * @param zone the zone Spring Batch writes its timestamps in
	 * @return the cut-off
	 * @throws InvalidJobParametersException if neither parameter is an ISO-8601 instant
	 */
	public LocalDateTime cutoff(String asOf, String fireTime, ZoneId zone) throws InvalidJobParametersException {
		return LocalDateTime.ofInstant(referenceTime(asOf, fireTime).minus(this.retention), zone);
	}

	private static Instant referenceTime(String asOf, String fireTime) throws InvalidJobParametersException {
		String name = (asOf != null) ? AS_OF : FIRE_TIME;
		String value = (asOf != null) ? asOf : fireTime;
		if (value == null) {
			throw new InvalidJobParametersException("repositoryPurgeJob needs the identifying parameter 'asOf' "
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
