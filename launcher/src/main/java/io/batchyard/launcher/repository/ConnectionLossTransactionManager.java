package io.batchyard.launcher.repository;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * The JDBC transaction manager Spring Boot would declare, except for a rollback on a
 * connection the database has already dropped (its backend terminated, the network gone):
 * that transaction cannot have committed (no commit was sent, and the server rolls back
 * whatever a lost connection had open), so the rollback counts as done and the caller
 * sees the failure that caused it.
 * <p>
 * Without this, Spring Batch 6 takes the failed rollback of a chunk for an unknown
 * outcome: the step and the job end {@code UNKNOWN}, which can be neither recovered nor
 * restarted, so one dropped connection strands the job instance for good (the crash
 * campaign found it with {@code pg_terminate_backend}). A failed commit is left as it is:
 * its outcome really is unknown.
 * <p>
 * Either way, a lost connection evicts the pool's connections
 * ({@link ConnectionLoss#evictPool}): the save of the failed step's metadata that follows
 * must not borrow another connection the database dropped with this one.
 */
class ConnectionLossTransactionManager extends JdbcTransactionManager {

	private static final long serialVersionUID = 1L;

	private static final Log logger = LogFactory.getLog(ConnectionLossTransactionManager.class);

	ConnectionLossTransactionManager(DataSource dataSource) {
		super(dataSource);
	}

	@Override
	protected void doCommit(DefaultTransactionStatus status) {
		try {
			super.doCommit(status);
		}
		catch (RuntimeException ex) {
			if (lost(connection(status), ex)) {
				ConnectionLoss.evictPool(obtainDataSource(), "A commit");
			}
			throw ex;
		}
	}

	@Override
	protected void doRollback(DefaultTransactionStatus status) {
		try {
			super.doRollback(status);
		}
		catch (TransactionSystemException ex) {
			if (!lost(connection(status), ex)) {
				throw ex;
			}
			logger.warn("Rollback on a connection the database already dropped (" + ex.getMostSpecificCause()
					+ "): its transaction cannot have committed; counted as rolled back");
			ConnectionLoss.evictPool(obtainDataSource(), "A rolled-back transaction");
		}
	}

	private static Connection connection(DefaultTransactionStatus status) {
		return ((JdbcTransactionObjectSupport) status.getTransaction()).getConnectionHolder().getConnection();
	}

	private static boolean lost(Connection connection, RuntimeException failure) {
		try {
			if (connection.isClosed()) {
				return true;
			}
		}
		catch (SQLException ex) {
			return true;
		}
		return ConnectionLoss.hasLossState(failure);
	}

}
