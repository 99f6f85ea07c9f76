package io.batchyard.launcher.enhancements;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;

import org.h2.api.Trigger;

/**
 * An H2 {@code BEFORE UPDATE} trigger on {@code robot_enhancement_batch} that fails every
 * move of a batch out of {@code importing} (the import's last step settling it) as a lost
 * connection does: an infrastructure fault that the restart policy restarts. Other
 * updates (the result handed in, the import recording its execution on the batch) go
 * through.
 */
public class TransientSettleFault implements Trigger {

	private static final int STATUS = 2;

	@Override
	public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
		if ("importing".equals(oldRow[STATUS]) && !Objects.equals(oldRow[STATUS], newRow[STATUS])) {
			throw new SQLTransientConnectionException("Injected fault: the connection was lost");
		}
	}

}
