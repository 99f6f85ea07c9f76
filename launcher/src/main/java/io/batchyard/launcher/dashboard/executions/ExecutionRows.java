package io.batchyard.launcher.dashboard.executions;

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

	private static final String SELECT = "SELECT E.JOB_EXECUTION_ID, I.JOB_NAME, E.JOB_INSTANCE_ID, E.STATUS,"
			+ " E.EXIT_CODE, E.CREATE_TIME, E.START_TIME, E.END_TIME, (SELECT COALESCE(SUM(S.READ_SKIP_COUNT"
			+ " + S.PROCESS_SKIP_COUNT + S.WRITE_SKIP_COUNT), 0) FROM BATCH_STEP_EXECUTION S"
			+ " WHERE S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID) SKIPS";

	private static final String FROM = " FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I"
			+ " ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID";

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

	record Page(List<Row> rows, int page, int size, long total) {

		public long pages() {
			return Math.max(1, (this.total + this.size - 1) / this.size);
		}

		public boolean hasNext() {
			return (long) (this.page + 1) * this.size < this.total;
		}

	}

	Page find(Filter filter, int page, int size) {
		StringBuilder where = new StringBuilder(" WHERE 1 = 1");
		List<Object> args = new ArrayList<>();
		if (filter.job() != null) {
			where.append(" AND I.JOB_NAME = ?");
			args.add(filter.job());
		}
		if (filter.status() != null) {
			where.append(" AND E.STATUS = ?");
			args.add(filter.status());
		}
		if (filter.from() != null) {
			where.append(" AND E.CREATE_TIME >= ?");
			args.add(Timestamp.valueOf(filter.from()));
		}
		if (filter.to() != null) {
			where.append(" AND E.CREATE_TIME < ?");
			args.add(Timestamp.valueOf(filter.to()));
		}
		if (filter.parameter() != null) {
			int equals = filter.parameter().indexOf('=');
			where.append(" AND EXISTS (SELECT 1 FROM BATCH_JOB_EXECUTION_PARAMS P"
					+ " WHERE P.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID AND P.PARAMETER_VALUE = ?");
			if (equals > 0) {
				where.append(" AND P.PARAMETER_NAME = ?");
				args.add(filter.parameter().substring(equals + 1).trim());
				args.add(filter.parameter().substring(0, equals).trim());
			}
			else {
				args.add(filter.parameter().trim());
			}
			where.append(")");
		}
		Long total = this.jdbc.queryForObject("SELECT COUNT(*)" + FROM + where, Long.class, args.toArray());
		List<Object> pageArgs = new ArrayList<>(args);
		pageArgs.add(size);
		pageArgs.add((long) page * size);
		List<Row> rows = this.jdbc.query(SELECT + FROM + where + " ORDER BY E.JOB_EXECUTION_ID DESC LIMIT ? OFFSET ?",
				ExecutionRows::row, pageArgs.toArray());
		return new Page(rows, page, size, (total != null) ? total : 0);
	}

	List<String> jobNames() {
		return this.jdbc.queryForList("SELECT DISTINCT JOB_NAME FROM BATCH_JOB_INSTANCE ORDER BY JOB_NAME",
				String.class);
	}

	private static Row row(ResultSet rs, int row) throws SQLException {
		return new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
				time(rs.getTimestamp(6)), time(rs.getTimestamp(7)), time(rs.getTimestamp(8)), rs.getLong(9));
	}

	private static LocalDateTime time(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toLocalDateTime() : null;
	}

}
