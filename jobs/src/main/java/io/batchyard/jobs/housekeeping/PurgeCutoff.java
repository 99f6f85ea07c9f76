package io.batchyard.jobs.housekeeping;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;

import io.batchyard.jobs.support.ReferenceTime;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The reference time of a purge and the cut-off derived from it. The reference time is an
 * identifying job parameter, so a duplicate launch for the same time finds the same
 * instance and a relaunch resumes instead of starting over: {@code asOf} when given by
 * hand, otherwise the schedule's {@code fireTime}.
 * <p>
 * As a check attached to {@code repositoryPurgeJob}'s description it refuses, before the
 * launch, a reference time whose cut-off cannot be written in the repository's time base
 * (an instant near the ends of the time line that {@link java.time.Instant#parse} still
 * reads), which would otherwise fail the step.
 */
public final class PurgeCutoff implements JobParametersValidator {

	private final ReferenceTime referenceTime = new ReferenceTime(RepositoryPurgeJobConfiguration.JOB_NAME);

	private final Duration retention;

	private final ZoneId zone;

	public PurgeCutoff(Duration retention) {
		this(retention, ZoneId.systemDefault());
	}

	PurgeCutoff(Duration retention, ZoneId zone) {
		this.retention = retention;
		this.zone = zone;
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		cutoff(parameters.getString(ReferenceTime.AS_OF), parameters.getString(ReferenceTime.FIRE_TIME), this.zone);
	}

	/**
	 * The cut-off in the repository's time base (Spring Batch stores local date-times of
	 * the JVM's zone): executions that ended before it are purged.
	 * @param asOf the {@code asOf} parameter, or {@code null}
	 * @param fireTime the {@code fireTime} parameter, or {@code null}
	 * @param zone the zone Spring Batch writes its timestamps in
	 * @return the cut-off
	 * @throws InvalidJobParametersException if neither parameter is an ISO-8601 instant,
	 * or the cut-off is out of range
	 */
	public LocalDateTime cutoff(String asOf, String fireTime, ZoneId zone) throws InvalidJobParametersException {
		java.time.Instant reference = this.referenceTime.parse(asOf, fireTime);
		try {
			return LocalDateTime.ofInstant(reference.minus(this.retention), zone);
		}
		catch (DateTimeException | ArithmeticException ex) {
			throw new InvalidJobParametersException("Parameter '"
					+ ((asOf != null) ? ReferenceTime.AS_OF : ReferenceTime.FIRE_TIME) + "': " + reference
					+ " minus the retention of " + this.retention + " is outside the dates the repository can hold");
		}
	}

}
