package io.batchyard.launcher.launch;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.batchyard.jobs.launch.LaunchRequest.Trigger;

import org.springframework.batch.core.job.DefaultJobKeyGenerator;
import org.springframework.batch.core.job.JobKeyGenerator;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What first launched each job instance ({@code BATCHYARD_INSTANCE_TRIGGER}, by name and
 * key), and whether an operator cancelled its automatic restarts: the restart policy
 * treats instances launched by hand differently from those a schedule, a queue or an API
 * started.
 */
public final class LaunchTriggers {

	/** The row of an instance, by its id. */
	private static final String INSTANCE = "(JOB_NAME, JOB_KEY) IN (SELECT JOB_NAME, JOB_KEY FROM BATCH_JOB_INSTANCE"
			+ " WHERE JOB_INSTANCE_ID = ?)";

	private static final JobKeyGenerator KEYS = new DefaultJobKeyGenerator();

	private LaunchTriggers() {
	}

	/**
	 * Records the trigger of an instance's first launch, before it starts (a job that
	 * fails at once must find it); later launches and restarts keep it.
	 * @param jdbc the database
	 * @param jobName the job
	 * @param parameters the launch's parameters (their identifying ones key the instance)
	 * @param trigger the trigger
	 */
	static void record(JdbcTemplate jdbc, String jobName, JobParameters parameters, Trigger trigger) {
		String key = KEYS.generateKey(parameters);
		try {
			jdbc.update("INSERT INTO BATCHYARD_INSTANCE_TRIGGER (JOB_NAME, JOB_KEY, LAUNCH_TRIGGER) SELECT ?, ?, ?"
					+ " WHERE NOT EXISTS (SELECT 1 FROM BATCHYARD_INSTANCE_TRIGGER WHERE JOB_NAME = ? AND JOB_KEY = ?)",
					jobName, key, trigger.name(), jobName, key);
		}
		catch (DuplicateKeyException ex) {
			// A concurrent launch of the same instance recorded it first.
		}
	}

	/**
	 * Keeps an instance from being restarted automatically from now on.
	 * @param jdbc the database
	 * @param instanceId the instance
	 * @param by who cancelled
	 * @param at when
	 */
	public static void cancelRestarts(JdbcTemplate jdbc, long instanceId, String by, Instant at) {
		int updated = jdbc.update("UPDATE BATCHYARD_INSTANCE_TRIGGER SET RESTARTS_CANCELLED_AT = ?,"
				+ " RESTARTS_CANCELLED_BY = ? WHERE " + INSTANCE, Timestamp.from(at), by, instanceId);
		if (updated == 0) {
			jdbc.update(
					"INSERT INTO BATCHYARD_INSTANCE_TRIGGER (JOB_NAME, JOB_KEY, LAUNCH_TRIGGER,"
							+ " RESTARTS_CANCELLED_AT, RESTARTS_CANCELLED_BY) SELECT JOB_NAME, JOB_KEY, ?, ?, ?"
							+ " FROM BATCH_JOB_INSTANCE WHERE JOB_INSTANCE_ID = ?",
					Trigger.MANUAL.name(), Timestamp.from(at), by, instanceId);
		}
	}

	/**
	 * The trigger of an instance.
	 * @param jdbc the database
	 * @param instanceId the instance
	 * @return its entry; an instance with none counts as launched by hand
	 */
	public static Entry find(JdbcTemplate jdbc, long instanceId) {
		List<Entry> entries = jdbc.query(
				"SELECT LAUNCH_TRIGGER, RESTARTS_CANCELLED_AT, RESTARTS_CANCELLED_BY"
						+ " FROM BATCHYARD_INSTANCE_TRIGGER WHERE " + INSTANCE,
				(rs, row) -> new Entry(Trigger.valueOf(rs.getString(1)),
						(rs.getTimestamp(2) != null) ? rs.getTimestamp(2).toInstant() : null, rs.getString(3)),
				instanceId);
		return entries.isEmpty() ? new Entry(Trigger.MANUAL, null, null) : entries.get(0);
	}

	/**
	 * @param trigger what first launched the instance
	 * @param cancelledAt when an operator cancelled its automatic restarts, or
	 * {@code null}
	 * @param cancelledBy who did
	 */
	public record Entry(Trigger trigger, Instant cancelledAt, String cancelledBy) {

		public boolean manual() {
			return this.trigger == Trigger.MANUAL;
		}

	}

}
