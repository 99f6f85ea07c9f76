package io.batchyard.launcher.trigger.schedule;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One row per schedule fire time in the shared database. Every node that fires a schedule
 * tries to insert the row; the node whose insert wins launches the job, the others do
 * nothing. The identifying {@code fireTime} parameter guards a second time: even a launch
 * that slipped through would find the same job instance.
 */
class ScheduleFireLedger {

	private final JdbcTemplate jdbc;

	private final Duration retention;

	/**
	 * @param jdbc the shared database
	 * @param retention how long fires are remembered (the job repository's retention):
	 * the ledger only has to outlive the moment several nodes fire the same time, and the
	 * dashboard shows the last fires
	 */
	ScheduleFireLedger(JdbcTemplate jdbc, Duration retention) {
		this.jdbc = jdbc;
		this.retention = retention;
	}

	/**
	 * Claims a fire time for this node.
	 * @return whether this node won it
	 */
	boolean claim(String schedule, Instant fireTime, String nodeId) {
		try {
			this.jdbc.update(
					"INSERT INTO BATCHYARD_SCHEDULE_FIRE (SCHEDULE_NAME, FIRE_TIME, NODE_ID, FIRED_AT)"
							+ " VALUES (?, ?, ?, ?)",
					schedule, Timestamp.from(fireTime), nodeId, Timestamp.from(Instant.now()));
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	void record(String schedule, Instant fireTime, Long jobExecutionId, String outcome) {
		this.jdbc.update(
				"UPDATE BATCHYARD_SCHEDULE_FIRE SET JOB_EXECUTION_ID = ?, OUTCOME = ? WHERE SCHEDULE_NAME = ? AND FIRE_TIME = ?",
				jobExecutionId, truncate(outcome), schedule, Timestamp.from(fireTime));
		// A schedule firing every minute would otherwise add half a million rows a year.
		this.jdbc.update("DELETE FROM BATCHYARD_SCHEDULE_FIRE WHERE SCHEDULE_NAME = ? AND FIRE_TIME < ?", schedule,
				Timestamp.from(fireTime.minus(this.retention)));
	}

	LastFire last(String schedule) {
		List<LastFire> last = this.jdbc.query(
				"SELECT FIRE_TIME, NODE_ID, JOB_EXECUTION_ID, OUTCOME FROM BATCHYARD_SCHEDULE_FIRE WHERE SCHEDULE_NAME = ?"
						+ " ORDER BY FIRE_TIME DESC LIMIT 1",
				(rs, row) -> new LastFire(rs.getTimestamp(1).toInstant(), rs.getString(2),
						(Long) rs.getObject(3, Long.class), rs.getString(4)),
				schedule);
		return last.isEmpty() ? null : last.get(0);
	}

	private static String truncate(String outcome) {
		return (outcome != null && outcome.length() > 2500) ? outcome.substring(0, 2500) : outcome;
	}

	/**
	 * The last fire of a schedule.
	 *
	 * @param fireTime the scheduled time
	 * @param nodeId the node that launched it
	 * @param jobExecutionId the execution launched (or found running or complete)
	 * @param outcome what happened
	 */
	public record LastFire(Instant fireTime, String nodeId, Long jobExecutionId, String outcome) {
	}

}
