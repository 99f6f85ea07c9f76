package io.batchyard.launcher.dashboard.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How each job has been doing, read straight from the metadata tables for the jobs page
 * and a job's page: its latest executions, and over a window the success rate and the
 * duration percentiles, aggregated by the database ({@code PERCENTILE_CONT} on H2 and
 * PostgreSQL alike) so that a job with a hundred thousand executions costs one indexed
 * range of rows, not a hundred thousand objects. Every query is bounded by a
 * {@code LIMIT} or by the window's range on {@code END_TIME} (indexed in V2).
 */
@Component
class JobHealth {

	/** Seconds an execution ran, in the same SQL on H2 and PostgreSQL. */
	private static final String SECONDS = "EXTRACT(EPOCH FROM (E.END_TIME - E.START_TIME))";

	private static final String STATS = "SELECT I.JOB_NAME, COUNT(*), SUM(CASE WHEN E.STATUS = 'COMPLETED' THEN 1"
			+ " ELSE 0 END), SUM(CASE WHEN E.STATUS = 'FAILED' THEN 1 ELSE 0 END), PERCENTILE_CONT(0.5) WITHIN GROUP"
			+ " (ORDER BY " + SECONDS + ") FILTER (WHERE E.STATUS = 'COMPLETED'), PERCENTILE_CONT(0.95) WITHIN GROUP"
			+ " (ORDER BY " + SECONDS + ") FILTER (WHERE E.STATUS = 'COMPLETED') FROM BATCH_JOB_EXECUTION E"
			+ " JOIN BATCH_JOB_INSTANCE I ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID"
			+ " WHERE E.END_TIME >= ? AND E.START_TIME IS NOT NULL";

	private static final String EXECUTION = "SELECT E.JOB_EXECUTION_ID, E.STATUS, E.EXIT_CODE, E.CREATE_TIME,"
			+ " E.START_TIME, E.END_TIME";

	private static final String FROM = " FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I"
			+ " ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID";

	private static final String COUNTS = ", (SELECT COALESCE(SUM(S.READ_COUNT), 0) FROM BATCH_STEP_EXECUTION S"
			+ " WHERE S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID), (SELECT COALESCE(SUM(S.WRITE_COUNT), 0)"
			+ " FROM BATCH_STEP_EXECUTION S WHERE S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID),"
			+ " (SELECT COALESCE(SUM(S.FILTER_COUNT), 0) FROM BATCH_STEP_EXECUTION S"
			+ " WHERE S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID), (SELECT COALESCE(SUM(S.READ_SKIP_COUNT"
			+ " + S.PROCESS_SKIP_COUNT + S.WRITE_SKIP_COUNT), 0) FROM BATCH_STEP_EXECUTION S"
			+ " WHERE S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID)";

	private final JdbcTemplate jdbc;

	JobHealth(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The period the rates and percentiles cover, chosen on the page.
	 */
	enum Window {

		DAY("24h", "last 24 hours", Duration.ofDays(1)), WEEK("7d", "last 7 days", Duration.ofDays(7)),
		MONTH("30d", "last 30 days", Duration.ofDays(30));

		private final String code;

		private final String label;

		private final Duration length;

		Window(String code, String label, Duration length) {
			this.code = code;
			this.label = label;
			this.length = length;
		}

		public String code() {
			return this.code;
		}

		public String label() {
			return this.label;
		}

		LocalDateTime since(LocalDateTime now) {
			return now.minus(this.length);
		}

		/**
		 * Reads the window a request asks for.
		 * @param code {@code 24h}, {@code 7d} or {@code 30d}; {@code null} for the
		 * default
		 * @return the window
		 * @throws IllegalArgumentException naming the allowed codes
		 */
		static Window of(String code) {
			if (code == null || code.isBlank()) {
				return WEEK;
			}
			for (Window window : values()) {
				if (window.code.equalsIgnoreCase(code.trim())) {
					return window;
				}
			}
			throw new IllegalArgumentException("Unknown window '" + code + "': use 24h, 7d or 30d");
		}

	}

	/**
	 * A job's executions that ended in a window.
	 *
	 * @param ended how many ended (in any status)
	 * @param completed how many of them COMPLETED
	 * @param failed how many FAILED
	 * @param p50 the median duration of the completed ones, in seconds, or {@code null}
	 * @param p95 the 95th percentile of the same, or {@code null}
	 */
	record Stats(long ended, long completed, long failed, Double p50, Double p95) {

		static final Stats NONE = new Stats(0, 0, 0, null, null);

		/**
		 * The share that completed, for people.
		 * @return for example {@code 97.5%}, or an en dash when none ended
		 */
		public String successRate() {
			if (this.ended == 0) {
				return "–";
			}
			double rate = 100.0 * this.completed / this.ended;
			return (rate == 100.0 || rate == 0.0) ? String.format(Locale.ROOT, "%.0f%%", rate)
					: String.format(Locale.ROOT, "%.1f%%", rate);
		}

		public Long p50Millis() {
			return (this.p50 != null) ? Math.round(this.p50 * 1000) : null;
		}

		public Long p95Millis() {
			return (this.p95 != null) ? Math.round(this.p95 * 1000) : null;
		}

	}

	/**
	 * One execution.
	 *
	 * @param id the execution
	 * @param status its {@code BatchStatus}
	 * @param exitCode its exit code
	 * @param createTime when it was created
	 * @param startTime when it started, or {@code null}
	 * @param endTime when it ended, or {@code null} while it runs
	 */
	record Execution(long id, String status, String exitCode, LocalDateTime createTime, LocalDateTime startTime,
			LocalDateTime endTime) {

		/**
		 * Milliseconds it ran, or {@code null} if it has not ended.
		 * @return the duration
		 */
		public Long durationMillis() {
			return (this.startTime != null && this.endTime != null)
					? Duration.between(this.startTime, this.endTime).toMillis() : null;
		}

	}

	/**
	 * One execution with its steps' item counts summed.
	 *
	 * @param execution the execution
	 * @param read items read
	 * @param written items written
	 * @param filtered items filtered
	 * @param skipped items skipped (read, process and write)
	 */
	record ExecutionCounts(Execution execution, long read, long written, long filtered, long skipped) {
	}

	/**
	 * How fast one step execution read its items.
	 *
	 * @param executionId its job execution
	 * @param step the step's name
	 * @param startTime when it started
	 * @param items items read
	 * @param millis how long it ran
	 */
	record StepRate(long executionId, String step, LocalDateTime startTime, long items, long millis) {

		double itemsPerSecond() {
			return this.items * 1000.0 / this.millis;
		}

	}

	/**
	 * Every job's statistics over a window, in one query.
	 * @param since the window's start
	 * @return by job name; jobs without an execution that ended in it are absent
	 */
	Map<String, Stats> stats(LocalDateTime since) {
		Map<String, Stats> stats = new HashMap<>();
		this.jdbc.query(STATS + " GROUP BY I.JOB_NAME", (ResultSet rs) -> {
			stats.put(rs.getString(1), stats(rs));
		}, Timestamp.valueOf(since));
		return stats;
	}

	/**
	 * One job's statistics over a window.
	 * @param job the job
	 * @param since the window's start
	 * @return its statistics
	 */
	Stats stats(String job, LocalDateTime since) {
		List<Stats> stats = this.jdbc.query(STATS + " AND I.JOB_NAME = ? GROUP BY I.JOB_NAME", (rs, row) -> stats(rs),
				Timestamp.valueOf(since), job);
		return stats.isEmpty() ? Stats.NONE : stats.get(0);
	}

	/**
	 * A job's latest executions, newest first.
	 * @param job the job
	 * @param limit how many
	 * @return the executions
	 */
	List<Execution> latest(String job, int limit) {
		return this.jdbc.query(EXECUTION + FROM + " WHERE I.JOB_NAME = ? ORDER BY E.JOB_EXECUTION_ID DESC LIMIT ?",
				(rs, row) -> execution(rs), job, limit);
	}

	/**
	 * A job's latest executions with their item counts, newest first.
	 * @param job the job
	 * @param limit how many
	 * @return the executions
	 */
	List<ExecutionCounts> latestWithCounts(String job, int limit) {
		return this.jdbc.query(
				EXECUTION + COUNTS + FROM + " WHERE I.JOB_NAME = ? ORDER BY E.JOB_EXECUTION_ID DESC LIMIT ?",
				(rs, row) -> new ExecutionCounts(execution(rs), rs.getLong(7), rs.getLong(8), rs.getLong(9),
						rs.getLong(10)),
				job, limit);
	}

	/**
	 * The executions of a job that ended in a window, newest first: the chart's points.
	 * @param job the job
	 * @param since the window's start
	 * @param limit the most to read
	 * @return the executions
	 */
	List<Execution> ended(String job, LocalDateTime since, int limit) {
		return this.jdbc.query(
				EXECUTION + FROM + " WHERE I.JOB_NAME = ? AND E.END_TIME >= ? AND E.START_TIME IS NOT NULL"
						+ " ORDER BY E.END_TIME DESC LIMIT ?",
				(rs, row) -> execution(rs), job, Timestamp.valueOf(since), limit);
	}

	/**
	 * The read rates of the steps of some executions: steps that read items and ran for a
	 * measurable time (a tasklet reads none).
	 * @param executionIds the executions
	 * @return their steps' rates
	 */
	List<StepRate> stepRates(List<Long> executionIds) {
		if (executionIds.isEmpty()) {
			return List.of();
		}
		String in = String.join(", ", java.util.Collections.nCopies(executionIds.size(), "?"));
		return this.jdbc.query("SELECT S.JOB_EXECUTION_ID, S.STEP_NAME, S.START_TIME, S.END_TIME, S.READ_COUNT"
				+ " FROM BATCH_STEP_EXECUTION S WHERE S.JOB_EXECUTION_ID IN (" + in + ") AND S.READ_COUNT > 0"
				+ " AND S.START_TIME IS NOT NULL AND S.END_TIME IS NOT NULL", (rs, row) -> {
					LocalDateTime start = time(rs.getTimestamp(3));
					return new StepRate(rs.getLong(1), rs.getString(2), start, rs.getLong(5),
							Duration.between(start, time(rs.getTimestamp(4))).toMillis());
				}, executionIds.toArray())
			.stream()
			.filter((rate) -> rate.millis() > 0)
			.toList();
	}

	private static Stats stats(ResultSet rs) throws SQLException {
		return new Stats(rs.getLong(2), rs.getLong(3), rs.getLong(4), number(rs, 5), number(rs, 6));
	}

	private static Double number(ResultSet rs, int column) throws SQLException {
		double value = rs.getDouble(column);
		return rs.wasNull() ? null : value;
	}

	private static Execution execution(ResultSet rs) throws SQLException {
		return new Execution(rs.getLong(1), rs.getString(2), rs.getString(3), time(rs.getTimestamp(4)),
				time(rs.getTimestamp(5)), time(rs.getTimestamp(6)));
	}

	private static LocalDateTime time(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toLocalDateTime() : null;
	}

}
