package io.batchyard.jobs.support;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.Trigger;

/**
 * An H2 {@code BEFORE INSERT} row trigger that fails the insert of the row whose second
 * column equals the number ending the trigger's name ({@code ENTRY_FAULT_7}): a real
 * database fault in the middle of a chunk.
 */
public class H2InsertFault implements Trigger {

	private long value;

	@Override
	public void init(Connection connection, String schemaName, String triggerName, String tableName, boolean before,
			int type) {
		this.value = Long.parseLong(triggerName.substring(triggerName.lastIndexOf('_') + 1));
	}

	@Override
	public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
		if (((Number) newRow[1]).longValue() == this.value) {
			throw new SQLException("Injected fault: cannot insert row " + this.value);
		}
	}

}
