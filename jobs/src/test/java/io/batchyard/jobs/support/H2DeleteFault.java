package io.batchyard.jobs.support;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.Trigger;

/**
 * An H2 {@code BEFORE DELETE} row trigger on {@code BATCH_JOB_EXECUTION} that fails the
 * delete of one job execution, whose id ends the trigger's name ({@code PURGE_FAULT_42}):
 * a real database fault in the middle of a step.
 */
public class H2DeleteFault implements Trigger {

	private long jobExecutionId;

	@Override
	public void init(Connection connection, String schemaName, String triggerName, String tableName, boolean before,
			int type) {
		this.jobExecutionId = Long.parseLong(triggerName.substring(triggerName.lastIndexOf('_') + 1));
	}

	@Override
	public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
		if (((Number) oldRow[0]).longValue() == this.jobExecutionId) {
			throw new SQLException("Injected fault: cannot delete job execution " + this.jobExecutionId);
		}
	}

}
