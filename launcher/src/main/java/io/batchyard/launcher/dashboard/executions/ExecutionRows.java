package io.batchyard.launcher.dashboard.executions;

import static io.batchyard.launcher.executions.ExecutionSql.FROM;
import static io.batchyard.launcher.executions.ExecutionSql.SELECT;

import io.batchyard.launcher.executions.ExecutionSql;
import io.batchyard.launcher.executions.ExecutionSql.Where;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The executions page's read model: newest first, filtered by job, status, creation date
 * and parameter value, straight from the metadata tables (the {@code JobRepository} has
 * no such query). Every filter is an indexed predicate ({@code V2__runner.sql},
 * {@code V5__dashboard_indexes.sql}), and the page is a keyless {@code LIMIT/OFFSET} on
 * the primary key's order.
 */
@Component
class ExecutionRows {

	/**
	 * Counting stops here: an exact count of every execution is a full scan, which the
	 * 300 ms budget of the page over 100,000 executions does not allow.
	 */
	static final int COUNT_LIMIT = 10_000;

	private final JdbcTemplate jdbc;

	ExecutionRows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The filters; {@code null} means any.
	 *
	 * @param job the job name
	 * @param status a {@code BatchStatus} name
	 * @param from created at or after
	 * @param to created before
	 * @param parameter {@code value}, or {@code name=value} to name the parameter too
	 */
	record Filter(String job, String status, LocalDateTime from, LocalDateTime to, String parameter) {
	}

	record Row(long id, String job, long instanceId, String status, String exitCode, LocalDateTime createTime,
			LocalDateTime startTime, LocalDateTime endTime, long skips) {
	}

	/**
	 * One page.
	 *
	 * @param rows its rows
	 * @param page its number, from 0
	 * @param size the page size
	 * @param total how many executions match, at most {@link #COUNT_LIMIT} + 1
	 */
	record Page(List<Row> rows, int page, int size, long total) {

		/**
		 * Whether more executions match than were counted.
		 * @return {@code true} when the total is a lower bound
		 */
		public boolean totalIsLowerBound() {
			return this.total > COUNT_LIMIT;
		}

		public String totalText() {
			return totalIsLowerBound() ? String.format(java.util.Locale.ROOT, "more than %,d", COUNT_LIMIT)
					: String.valueOf(this.total);
		}

		public long pages() {
			return Math.max(1, (this.total + this.size - 1) / this.size);
		}

		public boolean hasNext() {
			return (long) (this.page + 1) * this.size < this.total;
		}

	}

	Page find(Filter filter, int page, int size) {
		Where where = ExecutionSql.where(filter.job(), filter.status(), filter.from(), filter.to(), filter.parameter());
		List<Object> args = where.args();
		// The join is only needed to filter by job; the count stops after COUNT_LIMIT +
		// 1.
		String countFrom = (filter.job() != null) ? FROM : " FROM BATCH_JOB_EXECUTION E";
		List<Object> countArgs = new ArrayList<>(args);
		countArgs.add(COUNT_LIMIT + 1);
		Long total = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM (SELECT 1 X" + countFrom + where.sql() + " LIMIT ?) C", Long.class,
				countArgs.toArray());
		List<Object> pageArgs = new ArrayList<>(args);
		pageArgs.add(size);
		pageArgs.add((long) page * size);
		List<Row> rows = this.jdbc.query(
				SELECT + FROM + where.sql() + " ORDER BY E.JOB_EXECUTION_ID DESC LIMIT ? OFFSET ?", ExecutionRows::row,
				pageArgs.toArray());
		return new Page(rows, page, size, (total != null) ? total : 0);
	}

	private static Row row(ResultSet rs, int row) throws SQLException {
		return new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
				time(rs.getTimestamp(6)), time(rs.getTimestamp(7)), time(rs.getTimestamp(8)), rs.getLong(9));
	}

	private static LocalDateTime time(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toLocalDateTime() : null;
	}

}
