package io.batchyard.jobs.support;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * An H2 {@code BEFORE INSERT} row trigger that fails the insert of the row whose first
 * column, a UUID, has the hex digits ending the trigger's name
 * ({@code ID_FAULT_aefcfad8efc84849b3aa7efe4458a885}): a real database fault in the
 * middle of a chunk.
 */
public class H2IdFault implements org.h2.api.Trigger {

	private String id;

	@Override
	public void init(Connection connection, String schemaName, String triggerName, String tableName, boolean before,
			int type) {
		this.id = triggerName.substring(triggerName.lastIndexOf('_') + 1).toLowerCase(java.util.Locale.ROOT);
	}

	@Override
	public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
		if (String.valueOf(newRow[0]).replace("-", "").equals(this.id)) {
			throw new SQLException("Injected fault: cannot insert row " + newRow[0]);
		}
	}

}
