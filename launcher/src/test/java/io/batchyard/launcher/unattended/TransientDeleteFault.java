package io.batchyard.launcher.unattended;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.h2.api.Trigger;

/**
 * An H2 trigger whose every delete fails as a lost connection does: an infrastructure
 * fault the restart policy restarts.
 */
public class TransientDeleteFault implements Trigger {

	@Override
	public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
		throw new SQLTransientConnectionException("Injected fault: the connection was lost");
	}

}
