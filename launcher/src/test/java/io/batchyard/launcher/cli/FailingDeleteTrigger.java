package io.batchyard.launcher.cli;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.Trigger;

/**
 * A real database fault for H2: every delete on the table it is attached to fails.
 */
public class FailingDeleteTrigger implements Trigger {

	@Override
	public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
		throw new SQLException("Injected fault: deletes on this table fail");
	}

}
