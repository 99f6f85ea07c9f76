package io.batchyard.jobs.imageingest;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.Trigger;

/**
 * An H2 {@code BEFORE UPDATE} row trigger on {@code IMAGE_BATCH_IMAGES} that fails the
 * update recording image N as completed, N ending the trigger's name
 * ({@code IMAGE_FAULT_3}): a real database fault in a chunk's transaction.
 */
public class H2ImageUpdateFault implements Trigger {

	private int index;

	@Override
	public void init(Connection connection, String schemaName, String triggerName, String tableName, boolean before,
			int type) {
		this.index = Integer.parseInt(triggerName.substring(triggerName.lastIndexOf('_') + 1));
	}

	@Override
	public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
		if (((Number) newRow[1]).intValue() == this.index && "completed".equals(newRow[5])) {
			throw new SQLException("Injected fault: cannot record image " + this.index);
		}
	}

}
