package io.batchyard.launcher.unattended;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.Trigger;

/**
 * An H2 trigger whose every delete fails with an error that says nothing of its cause:
 * not a failure the restart policy restarts.
 */
public class PermanentDeleteFault implements Trigger {

	@Override
	public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
		throw new SQLException("Injected fault: deletes on this table fail");
	}

}
