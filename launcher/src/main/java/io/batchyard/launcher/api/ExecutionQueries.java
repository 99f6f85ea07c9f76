package io.batchyard.launcher.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import io.batchyard.launcher.api.ApiViews.ExecutionSummary;
import io.batchyard.launcher.api.ApiViews.PageView;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The executions list: filtered and paged across all jobs, newest first. The
 * {@code JobRepository} offers no such query, so it is read from the metadata tables
 * (indexes in {@code V2__runner.sql}); single executions are read through the repository.
 */
@Component
class ExecutionQueries {

	private static final String SELECT = "SELECT E.JOB_EXECUTION_ID, I.JOB_NAME, E.JOB_INSTANCE_ID, E.STATUS, E.EXIT_CODE,"
			+ " E.CREATE_TIME, E.START_TIME, E.END_TIME, (SELECT COALESCE(SUM(S.READ_SKIP_COUNT + S.PROCESS_SKIP_COUNT"
			+ " + S.WRITE_SKIP_COUNT), 0) FROM BATCH_STEP_EXECUTION S WHERE S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID) SKIPS";

	private static final String FROM = " FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I"
			+ " ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID";

	private final JdbcTemplate jdbc;

	ExecutionQueries(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	record Filter(String job, String status, LocalDateTime from, LocalDateTime to) {
	}

	PageView<ExecutionSummary> find(Filter filter, int page, int size) {
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
		Long total = this.jdbc.queryForObject("SELECT COUNT(*)" + FROM + where, Long.class, args.toArray());
		List<Object> pageArgs = new ArrayList<>(args);
		pageArgs.add(size);
		pageArgs.add((long) page * size);
		List<ExecutionSummary> content = this.jdbc.query(
				SELECT + FROM + where + " ORDER BY E.JOB_EXECUTION_ID DESC LIMIT ? OFFSET ?", this::summary,
				pageArgs.toArray());
		long totalElements = (total != null) ? total : 0;
		return new PageView<>(content, page, size, totalElements, (totalElements + size - 1) / size);
	}

	ExecutionSummary last(String job) {
		List<ExecutionSummary> last = this.jdbc.query(
				SELECT + FROM + " WHERE I.JOB_NAME = ? ORDER BY E.JOB_EXECUTION_ID DESC LIMIT 1", this::summary, job);
		return last.isEmpty() ? null : last.get(0);
	}

	private ExecutionSummary summary(ResultSet rs, int row) throws SQLException {
		return new ExecutionSummary(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
				time(rs.getTimestamp(6)), time(rs.getTimestamp(7)), time(rs.getTimestamp(8)), rs.getLong(9));
	}

	private static java.time.OffsetDateTime time(Timestamp timestamp) {
		return (timestamp != null) ? ApiViews.time(timestamp.toLocalDateTime()) : null;
	}

}
