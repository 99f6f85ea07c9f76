package io.batchyard.launcher.dashboard.home;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

import io.batchyard.launcher.launch.RestartStatus;
import io.batchyard.launcher.runner.RunnerProperties;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What needs an operator now, for the home page: running executions with their progress,
 * executions that failed in the last 24 hours and have not completed since, automatic
 * restarts waiting to run, and runner nodes that stopped heart-beating without shutting
 * down. Each list is one indexed query with a limit (the status and end-time indexes of
 * V2 and V5, the instance index for "a later success", V9's state index for restarts), so
 * the page costs the same with a hundred or a hundred thousand executions.
 */
@Component
class Attention {

	/** The most entries a list shows; the heading says when there are more. */
	static final int LIMIT = 50;

	static final Duration FAILURE_WINDOW = Duration.ofHours(24);

	private static final String RUNNING = "'STARTING', 'STARTED', 'STOPPING'";

	private static final String STEP_SUM = "(SELECT COALESCE(SUM(S.%s), 0) FROM BATCH_STEP_EXECUTION S"
			+ " WHERE S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID)";

	private final JdbcTemplate jdbc;

	private final RunnerProperties runner;

	Attention(JdbcTemplate jdbc, RunnerProperties runner) {
		this.jdbc = jdbc;
		this.runner = runner;
	}

	/**
	 * A running execution and how far it got.
	 *
	 * @param id the execution
	 * @param job its job
	 * @param status STARTING, STARTED or STOPPING
	 * @param startTime when it started, or {@code null} while starting
	 * @param read items read so far, over its steps
	 * @param written items written so far
	 * @param skipped items skipped so far
	 * @param currentStep the step running now, or {@code null}
	 * @param nodeId the node running it, or {@code null}
	 * @param nodeAlive whether that node still heart-beats
	 */
	record Running(long id, String job, String status, LocalDateTime startTime, long read, long written, long skipped,
			String currentStep, String nodeId, boolean nodeAlive) {
	}

	/**
	 * A FAILED execution whose instance has not completed (nor failed again) since.
	 *
	 * @param id the execution
	 * @param job its job
	 * @param instanceId its instance
	 * @param exitCode its exit code
	 * @param endTime when it failed
	 * @param exitDescription the first line of why
	 */
	record Failed(long id, String job, long instanceId, String exitCode, LocalDateTime endTime,
			String exitDescription) {
	}

	/**
	 * An automatic restart that is still to come.
	 *
	 * @param failedExecutionId the execution it restarts
	 * @param job its job
	 * @param state PENDING or CLAIMED
	 * @param category why the execution failed
	 * @param attempt which automatic restart
	 * @param maxAttempts the most there will be
	 * @param dueAt when it is due
	 */
	record PendingRestart(long failedExecutionId, String job, String state, String category, int attempt,
			int maxAttempts, Instant dueAt) {
	}

	/**
	 * A node that stopped heart-beating without saying it stopped.
	 *
	 * @param id the node
	 * @param host its host
	 * @param role its role
	 * @param heartbeatAt its last heartbeat
	 * @param running how many running executions it still claims
	 */
	record SilentNode(String id, String host, String role, Instant heartbeatAt, long running) {
	}

	List<Running> running() {
		return this.jdbc.query("SELECT E.JOB_EXECUTION_ID, I.JOB_NAME, E.STATUS, E.START_TIME, "
				+ String.format(STEP_SUM, "READ_COUNT") + ", " + String.format(STEP_SUM, "WRITE_COUNT") + ", "
				+ String.format(STEP_SUM, "READ_SKIP_COUNT + S.PROCESS_SKIP_COUNT + S.WRITE_SKIP_COUNT")
				+ ", (SELECT MAX(S.STEP_NAME) FROM BATCH_STEP_EXECUTION S WHERE S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID"
				+ " AND S.STATUS IN (" + RUNNING + ")), C.NODE_ID, CASE WHEN N.STOPPED_AT IS NULL AND N.HEARTBEAT_AT"
				+ " >= ? THEN 1 ELSE 0 END FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I"
				+ " ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID LEFT JOIN BATCHYARD_NODE_EXECUTION C"
				+ " ON C.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID LEFT JOIN BATCHYARD_NODE N ON N.NODE_ID = C.NODE_ID"
				+ " WHERE E.STATUS IN (" + RUNNING + ") ORDER BY E.JOB_EXECUTION_ID DESC LIMIT ?",
				(rs, row) -> new Running(rs.getLong(1), rs.getString(2), rs.getString(3), time(rs.getTimestamp(4)),
						rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9),
						rs.getInt(10) == 1),
				Timestamp.from(heartbeatCutoff()), LIMIT + 1);
	}

	List<Failed> failed(LocalDateTime now) {
		// A later execution of the same instance that COMPLETED settles the failure;
		// one that FAILED again is listed instead, so each instance shows once.
		return this.jdbc.query("SELECT E.JOB_EXECUTION_ID, I.JOB_NAME, E.JOB_INSTANCE_ID, E.EXIT_CODE, E.END_TIME,"
				+ " E.EXIT_MESSAGE FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I"
				+ " ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID WHERE E.STATUS = 'FAILED' AND E.END_TIME >= ?"
				+ " AND NOT EXISTS (SELECT 1 FROM BATCH_JOB_EXECUTION L WHERE L.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID"
				+ " AND L.JOB_EXECUTION_ID > E.JOB_EXECUTION_ID AND L.STATUS IN ('COMPLETED', 'FAILED'))"
				+ " ORDER BY E.END_TIME DESC LIMIT ?",
				(rs, row) -> new Failed(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
						time(rs.getTimestamp(5)), firstLine(rs.getString(6))),
				Timestamp.valueOf(now.minus(FAILURE_WINDOW)), LIMIT + 1);
	}

	List<PendingRestart> pendingRestarts() {
		return this.jdbc.query("SELECT FAILED_EXECUTION_ID, JOB_NAME, STATE, CATEGORY, ATTEMPT, MAX_ATTEMPTS, DUE_AT"
				+ " FROM BATCHYARD_AUTO_RESTART WHERE STATE IN (?, ?) ORDER BY DUE_AT, FAILED_EXECUTION_ID LIMIT ?",
				(rs, row) -> new PendingRestart(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
						rs.getInt(5), rs.getInt(6), instant(rs.getTimestamp(7))),
				RestartStatus.PENDING, RestartStatus.CLAIMED, LIMIT + 1);
	}

	List<SilentNode> silentNodes() {
		return this.jdbc.query("SELECT N.NODE_ID, N.HOST_NAME, N.ROLE, N.HEARTBEAT_AT, (SELECT COUNT(*)"
				+ " FROM BATCHYARD_NODE_EXECUTION C JOIN BATCH_JOB_EXECUTION E ON E.JOB_EXECUTION_ID = C.JOB_EXECUTION_ID"
				+ " WHERE C.NODE_ID = N.NODE_ID AND E.STATUS IN (" + RUNNING + ")) FROM BATCHYARD_NODE N"
				+ " WHERE N.STOPPED_AT IS NULL AND N.HEARTBEAT_AT < ? ORDER BY N.HEARTBEAT_AT DESC LIMIT ?",
				(rs, row) -> new SilentNode(rs.getString(1), rs.getString(2), rs.getString(3),
						instant(rs.getTimestamp(4)), rs.getLong(5)),
				Timestamp.from(heartbeatCutoff()), LIMIT + 1);
	}

	Duration heartbeatTimeout() {
		return this.runner.heartbeatTimeout();
	}

	private Instant heartbeatCutoff() {
		return Instant.now().minus(this.runner.heartbeatTimeout());
	}

	private static String firstLine(String message) {
		if (message == null || message.isBlank()) {
			return null;
		}
		String line = message.strip().lines().findFirst().orElse("");
		return (line.length() <= 200) ? line : line.substring(0, 200) + "…";
	}

	private static LocalDateTime time(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toLocalDateTime() : null;
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
