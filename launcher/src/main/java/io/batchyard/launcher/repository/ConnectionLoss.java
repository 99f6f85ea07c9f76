package io.batchyard.launcher.repository;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A database connection lost under the application (its backend terminated, the server
 * restarted or failed over, the network gone), and what to do about the pool's other
 * connections then.
 * <p>
 * When one connection is lost the pool's idle ones usually are too (a failover or
 * {@code pg_terminate_backend} of the application's sessions takes them all), and Hikari
 * hands out a connection without validating it when it was used in the last 500 ms
 * ({@code aliveBypassWindowMs}). So the next borrow after a lost connection may get one
 * just as dead: Spring Batch's save of the failed step's metadata did, and the step and
 * job ended {@code UNKNOWN}. Evicting the pool's connections at the first loss makes the
 * next borrow open a new one.
 */
final class ConnectionLoss {

	private static final Log logger = LogFactory.getLog(ConnectionLoss.class);

	private ConnectionLoss() {
	}

	/**
	 * Whether a failure is the loss of the connection it ran on.
	 * @param failure the failure
	 * @return true for SQLState class {@code 08} (connection exception), PostgreSQL's
	 * {@code 57P01}-{@code 57P03} (the server terminated the session or is shutting down)
	 * and the JDBC connection-exception types, anywhere in the causes; false for a pool
	 * that timed out handing out a connection
	 */
	static boolean isCause(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (isPoolTimeout(cause)) {
				return false;
			}
			if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
					|| cause instanceof SQLRecoverableException) {
				return true;
			}
			if (cause instanceof SQLException sql && isConnectionState(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a failure carries a connection-loss SQLState, the narrower test for a
	 * rollback: a failed rollback counts as done only when the database says the session
	 * is gone.
	 * @param failure the failure
	 * @return true for SQLState class {@code 08} or PostgreSQL's
	 * {@code 57P01}-{@code 57P03} anywhere in the causes
	 */
	static boolean hasLossState(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql && isConnectionState(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	private static boolean isConnectionState(String state) {
		return state != null
				&& (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
	}

	// Hikari's "Connection is not available, request timed out" (whatever its causes):
	// no connection was lost, and trying again would only wait as long again.
	private static boolean isPoolTimeout(Throwable cause) {
		return cause instanceof SQLTransientConnectionException && cause.getMessage() != null
				&& cause.getMessage().contains("request timed out");
	}

	/**
	 * Marks every connection of the pool as evicted: idle ones are closed at once, those
	 * in use when they are returned (a transaction running on a healthy one completes).
	 * Does nothing for a data source that is not a Hikari pool.
	 * @param dataSource the application's data source
	 * @param what what lost its connection, for the log
	 */
	static void evictPool(DataSource dataSource, String what) {
		try {
			if (!dataSource.isWrapperFor(HikariDataSource.class)) {
				return;
			}
			HikariPoolMXBean pool = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
			if (pool == null) {
				return;
			}
			logger.warn(what + " lost its database connection: evicting the pool's connections (idle ones now,"
					+ " those in use when they are returned); the next borrow opens a new one");
			pool.softEvictConnections();
		}
		catch (SQLException | RuntimeException ex) {
			logger.warn("Could not evict the connection pool after a lost connection: " + ex);
		}
	}

}
