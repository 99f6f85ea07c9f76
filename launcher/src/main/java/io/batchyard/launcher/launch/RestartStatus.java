package io.batchyard.launcher.launch;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the restart policy decided for one ended execution, for the API and the dashboard:
 * "automatic restart 2 of 3 at 03:14", or why none will happen.
 *
 * @param state {@code PENDING}, {@code CLAIMED}, {@code RESTARTED}, {@code CANCELLED} or
 * {@code NONE}
 * @param category the failure's category
 * @param attempt the automatic restart this is (for PENDING, CLAIMED and RESTARTED)
 * @param maxAttempts the most the policy makes
 * @param dueAt when a pending restart is due
 * @param restartExecutionId the execution it was restarted as
 * @param detail why none will happen ("launched by hand"), or why it was cancelled
 */
public record RestartStatus(String state, String category, int attempt, int maxAttempts, Instant dueAt,
		Long restartExecutionId, String detail) {

	/** An automatic restart is due. */
	public static final String PENDING = "PENDING";

	/** A node is restarting it. */
	public static final String CLAIMED = "CLAIMED";

	/** Restarted, as {@link #restartExecutionId()}. */
	public static final String RESTARTED = "RESTARTED";

	/** An operator cancelled it, or the restart was refused. */
	public static final String CANCELLED = "CANCELLED";

	/** None will happen; {@link #detail()} says why. */
	public static final String NONE = "NONE";

	/**
	 * One line for people.
	 * @return the text
	 */
	public String describe() {
		return switch (this.state) {
			case PENDING -> "automatic restart " + this.attempt + " of " + this.maxAttempts + " at " + this.dueAt;
			case CLAIMED -> "automatic restart " + this.attempt + " of " + this.maxAttempts + " starting";
			case RESTARTED -> "automatically restarted (" + this.attempt + " of " + this.maxAttempts + ") as execution "
					+ this.restartExecutionId;
			case NONE -> "no automatic restart: " + this.detail;
			default -> String.valueOf(this.detail);
		};
	}

	/**
	 * Whether an automatic restart is still to come.
	 * @return {@code true} while pending or being started
	 */
	public boolean pending() {
		return PENDING.equals(this.state) || CLAIMED.equals(this.state);
	}

	/**
	 * Reads the decision of an execution.
	 * @param jdbc the database
	 * @param executionId the execution
	 * @return the decision, empty for an execution that has not ended FAILED or STOPPED
	 */
	public static Optional<RestartStatus> of(JdbcTemplate jdbc, long executionId) {
		List<RestartStatus> rows = jdbc.query(
				"SELECT STATE, CATEGORY, ATTEMPT, MAX_ATTEMPTS, DUE_AT,"
						+ " RESTART_EXECUTION_ID, DETAIL FROM BATCHYARD_AUTO_RESTART WHERE FAILED_EXECUTION_ID = ?",
				(rs, row) -> new RestartStatus(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
						(rs.getTimestamp(5) != null) ? rs.getTimestamp(5).toInstant() : null,
						(Long) rs.getObject(6, Long.class), rs.getString(7)),
				executionId);
		return rows.stream().findFirst();
	}

}
