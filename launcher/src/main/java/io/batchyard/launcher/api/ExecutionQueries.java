package io.batchyard.launcher.api;

import static io.batchyard.launcher.executions.ExecutionSql.FROM;
import static io.batchyard.launcher.executions.ExecutionSql.SELECT;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import io.batchyard.launcher.api.ApiViews.ExecutionSummary;
import io.batchyard.launcher.api.ApiViews.PageView;
import io.batchyard.launcher.executions.ExecutionSql;
import io.batchyard.launcher.executions.ExecutionSql.Where;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The executions list: filtered and paged across all jobs, newest first. The
 * {@code JobRepository} offers no such query, so it is read from the metadata tables
 * (indexes in {@code V2__runner.sql}); single executions are read through the repository.
 */
@Component
class ExecutionQueries {

	private final JdbcTemplate jdbc;

	ExecutionQueries(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	record Filter(String job, String status, LocalDateTime from, LocalDateTime to) {
	}

	PageView<ExecutionSummary> find(Filter filter, int page, int size) {
		Where where = ExecutionSql.where(filter.job(), filter.status(), filter.from(), filter.to(), null);
		List<Object> args = where.args();
		Long total = this.jdbc.queryForObject("SELECT COUNT(*)" + FROM + where.sql(), Long.class, args.toArray());
		List<Object> pageArgs = new ArrayList<>(args);
		pageArgs.add(size);
		pageArgs.add((long) page * size);
		List<ExecutionSummary> content = this.jdbc.query(
				SELECT + FROM + where.sql() + " ORDER BY E.JOB_EXECUTION_ID DESC LIMIT ? OFFSET ?", this::summary,
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
