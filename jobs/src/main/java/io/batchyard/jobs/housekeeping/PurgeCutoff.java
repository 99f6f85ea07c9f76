package io.batchyard.jobs.housekeeping;

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
 */
public final class PurgeCutoff implements JobParametersValidator {

	private final ReferenceTime referenceTime = new ReferenceTime(RepositoryPurgeJobConfiguration.JOB_NAME);

	private final Duration retention;

	public PurgeCutoff(Duration retention) {
		this.retention = retention;
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		this.referenceTime.validate(parameters);
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
		return LocalDateTime.ofInstant(this.referenceTime.parse(asOf, fireTime).minus(this.retention), zone);
	}

}
