package io.batchyard.launcher.executions;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of the executions list, shared by the REST API and the dashboard: the
 * {@code JobRepository} has no filtered, paged query across jobs, so the list is read
 * from the metadata tables (indexes in V2 and V5). Columns, in order: execution id, job
 * name, instance id, status, exit code, create, start and end time, skip count.
 */
public final class ExecutionSql {

	public static final String SELECT = "SELECT E.JOB_EXECUTION_ID, I.JOB_NAME, E.JOB_INSTANCE_ID, E.STATUS,"
			+ " E.EXIT_CODE, E.CREATE_TIME, E.START_TIME, E.END_TIME, (SELECT COALESCE(SUM(S.READ_SKIP_COUNT"
			+ " + S.PROCESS_SKIP_COUNT + S.WRITE_SKIP_COUNT), 0) FROM BATCH_STEP_EXECUTION S"
			+ " WHERE S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID) SKIPS";

	public static final String FROM = " FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I"
			+ " ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID";

	private ExecutionSql() {
	}

	/**
	 * A {@code WHERE} clause and its arguments.
	 *
	 * @param sql the clause, starting with a space
	 * @param args its arguments, in order
	 */
	public record Where(String sql, List<Object> args) {
	}

	/**
	 * The conditions of the list's filters; {@code null} means any.
	 * @param job the job name
	 * @param status a {@code BatchStatus} name
	 * @param from created at or after
	 * @param to created before
	 * @param parameter a parameter {@code value}, or {@code name=value}
	 * @return the clause
	 */
	public static Where where(String job, String status, LocalDateTime from, LocalDateTime to, String parameter) {
		StringBuilder where = new StringBuilder(" WHERE 1 = 1");
		List<Object> args = new ArrayList<>();
		if (job != null) {
			where.append(" AND I.JOB_NAME = ?");
			args.add(job);
		}
		if (status != null) {
			where.append(" AND E.STATUS = ?");
			args.add(status);
		}
		if (from != null) {
			where.append(" AND E.CREATE_TIME >= ?");
			args.add(Timestamp.valueOf(from));
		}
		if (to != null) {
			where.append(" AND E.CREATE_TIME < ?");
			args.add(Timestamp.valueOf(to));
		}
		if (parameter != null) {
			int equals = parameter.indexOf('=');
			where.append(" AND EXISTS (SELECT 1 FROM BATCH_JOB_EXECUTION_PARAMS P"
					+ " WHERE P.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID AND P.PARAMETER_VALUE = ?");
			if (equals > 0) {
				where.append(" AND P.PARAMETER_NAME = ?");
				args.add(parameter.substring(equals + 1).trim());
				args.add(parameter.substring(0, equals).trim());
			}
			else {
				args.add(parameter.trim());
			}
			where.append(")");
		}
		return new Where(where.toString(), args);
	}

}
