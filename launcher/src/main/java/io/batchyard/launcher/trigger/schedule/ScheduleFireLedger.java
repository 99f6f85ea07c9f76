package io.batchyard.launcher.trigger.schedule;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One row per schedule fire time in the shared database. Every node that fires a schedule
 * tries to insert the row; the node whose insert wins launches the job, the others do
 * nothing. The row keeps the job and parameters of the launch and its state, so that a
 * fire whose node died before launching it, or whose launch failed, is launched later by
 * another node ({@link #stranded}, {@link #takeOver}). The identifying {@code fireTime}
 * parameter guards a second time: even a launch that slipped through would find the same
 * job instance.
 */
class ScheduleFireLedger {

	/** Being launched by {@code NODE_ID}. */
	static final String CLAIMED = "CLAIMED";

	/** {@code JOB_EXECUTION_ID} is the fire's execution, launched or found. */
	static final String LAUNCHED = "LAUNCHED";

	/** Any node launches it from {@code NEXT_ATTEMPT_AT}. */
	static final String RETRY = "RETRY";

	/** No execution will come; {@code OUTCOME} says why. */
	static final String REFUSED = "REFUSED";

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final TypeReference<LinkedHashMap<String, String>> PARAMETERS = new TypeReference<>() {
	};

	/** A claim no live node holds: its node stopped, is forgotten, or is silent. */
	private static final String ABANDONED_CLAIM = "STATE = '" + CLAIMED + "' AND (CLAIMED_AT < ? OR NOT EXISTS"
			+ " (SELECT 1 FROM BATCHYARD_NODE N WHERE N.NODE_ID = BATCHYARD_SCHEDULE_FIRE.NODE_ID"
			+ " AND N.STOPPED_AT IS NULL AND N.HEARTBEAT_AT >= ?))";

	private static final String DUE_RETRY = "STATE = '" + RETRY + "' AND NEXT_ATTEMPT_AT <= ?";

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
	 * Claims a fire time for this node, recording what it will launch.
	 * @param fire the fire: schedule, time, job and parameters
	 * @param nodeId this node
	 * @param now the time of the claim
	 * @return whether this node won it
	 */
	boolean claim(Fire fire, String nodeId, Instant now) {
		try {
			this.jdbc.update(
					"INSERT INTO BATCHYARD_SCHEDULE_FIRE (SCHEDULE_NAME, FIRE_TIME, NODE_ID, FIRED_AT, STATE,"
							+ " JOB_NAME, PARAMETERS, ATTEMPTS, CLAIMED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
					fire.schedule(), Timestamp.from(fire.fireTime()), nodeId, Timestamp.from(now), CLAIMED, fire.job(),
					JSON.writeValueAsString(fire.parameters()), Timestamp.from(now));
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * Records the fire's execution (launched, or found already running or complete).
	 * @return {@code false} if this node no longer held the claim (another node took it
	 * over and records its own outcome)
	 */
	boolean launched(Fire fire, String nodeId, long jobExecutionId, String outcome) {
		return finish(fire, nodeId, LAUNCHED, jobExecutionId, outcome);
	}

	/**
	 * Records that the fire will never launch.
	 * @return {@code false} if this node no longer held the claim
	 */
	boolean refused(Fire fire, String nodeId, String outcome) {
		return finish(fire, nodeId, REFUSED, null, outcome);
	}

	/**
	 * Hands a claimed fire back to every node, to be launched from a time on.
	 * @param countAttempt whether the failed launch counts as an attempt (a node that
	 * began shutting down did not try)
	 * @return {@code false} if this node no longer held the claim
	 */
	boolean retry(Fire fire, String nodeId, Instant nextAttempt, boolean countAttempt, String outcome) {
		return this.jdbc.update("UPDATE BATCHYARD_SCHEDULE_FIRE SET STATE = ?, NEXT_ATTEMPT_AT = ?, OUTCOME = ?,"
				+ " ATTEMPTS = ATTEMPTS - ? WHERE SCHEDULE_NAME = ? AND FIRE_TIME = ? AND NODE_ID = ? AND STATE = ?",
				RETRY, Timestamp.from(nextAttempt), truncate(outcome), countAttempt ? 0 : 1, fire.schedule(),
				Timestamp.from(fire.fireTime()), nodeId, CLAIMED) == 1;
	}

	private boolean finish(Fire fire, String nodeId, String state, Long jobExecutionId, String outcome) {
		// The job is filled in for a fire recorded before the ledger kept it.
		int updated = this.jdbc.update(
				"UPDATE BATCHYARD_SCHEDULE_FIRE SET STATE = ?, JOB_EXECUTION_ID = ?, OUTCOME = ?, NEXT_ATTEMPT_AT = NULL,"
						+ " JOB_NAME = COALESCE(JOB_NAME, ?) WHERE SCHEDULE_NAME = ? AND FIRE_TIME = ? AND NODE_ID = ?"
						+ " AND STATE = ?",
				state, jobExecutionId, truncate(outcome), fire.job(), fire.schedule(), Timestamp.from(fire.fireTime()),
				nodeId, CLAIMED);
		// A schedule firing every minute would otherwise add half a million rows a year.
		this.jdbc.update("DELETE FROM BATCHYARD_SCHEDULE_FIRE WHERE SCHEDULE_NAME = ? AND FIRE_TIME < ?",
				fire.schedule(), Timestamp.from(fire.fireTime().minus(this.retention)));
		return updated == 1;
	}

	/**
	 * Fires recorded but not launched that another node may take: claimed by a node that
	 * stopped heart-beating (or claimed longer ago than the claim timeout), or due to be
	 * tried again.
	 * @param now the current time
	 * @param heartbeatTimeout silence after which a node counts as dead
	 * @param claimTimeout age after which any claim counts as abandoned
	 * @return them, oldest first
	 */
	List<Stranded> stranded(Instant now, Duration heartbeatTimeout, Duration claimTimeout) {
		return this.jdbc.query(
				"SELECT SCHEDULE_NAME, FIRE_TIME, JOB_NAME, PARAMETERS, NODE_ID, STATE, ATTEMPTS"
						+ " FROM BATCHYARD_SCHEDULE_FIRE WHERE (" + ABANDONED_CLAIM + ") OR (" + DUE_RETRY + ")"
						+ " ORDER BY FIRE_TIME",
				ScheduleFireLedger::stranded, Timestamp.from(now.minus(claimTimeout)),
				Timestamp.from(now.minus(heartbeatTimeout)), Timestamp.from(now));
	}

	/**
	 * Takes a stranded fire over for this node, by a conditional update that only one
	 * node can win: the row must still be as {@link #stranded} found it.
	 * @param stranded the fire
	 * @param nodeId this node
	 * @param now the current time
	 * @param heartbeatTimeout silence after which a node counts as dead
	 * @param claimTimeout age after which any claim counts as abandoned
	 * @return whether this node won it
	 */
	boolean takeOver(Stranded stranded, String nodeId, Instant now, Duration heartbeatTimeout, Duration claimTimeout) {
		String condition = CLAIMED.equals(stranded.state()) ? ABANDONED_CLAIM : DUE_RETRY;
		Object[] conditionArguments = CLAIMED.equals(stranded.state())
				? new Object[] { Timestamp.from(now.minus(claimTimeout)), Timestamp.from(now.minus(heartbeatTimeout)) }
				: new Object[] { Timestamp.from(now) };
		Object[] arguments = new Object[6 + conditionArguments.length];
		arguments[0] = CLAIMED;
		arguments[1] = nodeId;
		arguments[2] = Timestamp.from(now);
		arguments[3] = stranded.fire().schedule();
		arguments[4] = Timestamp.from(stranded.fire().fireTime());
		arguments[5] = stranded.nodeId();
		System.arraycopy(conditionArguments, 0, arguments, 6, conditionArguments.length);
		return this.jdbc.update("UPDATE BATCHYARD_SCHEDULE_FIRE SET STATE = ?, NODE_ID = ?, CLAIMED_AT = ?,"
				+ " ATTEMPTS = ATTEMPTS + 1, NEXT_ATTEMPT_AT = NULL WHERE SCHEDULE_NAME = ? AND FIRE_TIME = ?"
				+ " AND NODE_ID = ? AND " + condition, arguments) == 1;
	}

	LastFire last(String schedule) {
		List<LastFire> last = this.jdbc.query(
				"SELECT FIRE_TIME, NODE_ID, JOB_EXECUTION_ID, OUTCOME, STATE FROM BATCHYARD_SCHEDULE_FIRE"
						+ " WHERE SCHEDULE_NAME = ? ORDER BY FIRE_TIME DESC LIMIT 1",
				(rs, row) -> new LastFire(rs.getTimestamp(1).toInstant(), rs.getString(2),
						(Long) rs.getObject(3, Long.class), rs.getString(4), rs.getString(5)),
				schedule);
		return last.isEmpty() ? null : last.get(0);
	}

	private static Stranded stranded(ResultSet rs, int row) throws SQLException {
		String parameters = rs.getString(4);
		return new Stranded(
				new Fire(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
						(parameters != null) ? JSON.readValue(parameters, PARAMETERS) : null),
				rs.getString(5), rs.getString(6), rs.getInt(7));
	}

	private static String truncate(String outcome) {
		return (outcome != null && outcome.length() > 2500) ? outcome.substring(0, 2500) : outcome;
	}

	/**
	 * A fire as recorded: what its launch starts.
	 *
	 * @param schedule the schedule
	 * @param fireTime the scheduled time (the identifying {@code fireTime} parameter)
	 * @param job the job, {@code null} for fires recorded before the ledger kept it
	 * @param parameters the launch's parameters, {@code fireTime} included; {@code null}
	 * for fires recorded before the ledger kept them
	 */
	record Fire(String schedule, Instant fireTime, String job, Map<String, String> parameters) {
	}

	/**
	 * A fire recorded but not launched.
	 *
	 * @param fire the fire
	 * @param nodeId the node that claimed it last
	 * @param state {@link #CLAIMED} (by a dead node, or too long ago) or {@link #RETRY}
	 * @param attempts the launches tried so far
	 */
	record Stranded(Fire fire, String nodeId, String state, int attempts) {
	}

	/**
	 * The last fire of a schedule.
	 *
	 * @param fireTime the scheduled time
	 * @param nodeId the node that launched it (or is launching it)
	 * @param jobExecutionId the execution launched (or found running or complete)
	 * @param outcome what happened
	 * @param state {@code CLAIMED}, {@code LAUNCHED}, {@code RETRY} or {@code REFUSED}
	 */
	public record LastFire(Instant fireTime, String nodeId, Long jobExecutionId, String outcome, String state) {
	}

}
