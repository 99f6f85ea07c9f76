package io.batchyard.launcher.repository;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;
import io.batchyard.test.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A transaction whose PostgreSQL backend is terminated ({@code pg_terminate_backend}) in
 * the middle, on the application's pool: the rollback that follows counts as done and the
 * caller sees the failure itself, where Spring's manager reports a failed rollback (which
 * Spring Batch turns into an UNKNOWN, unrestartable step).
 */
class ConnectionLossTransactionManagerTests {

	private String url;

	private HikariDataSource dataSource;

	private JdbcTemplate jdbc;

	@BeforeEach
	void database() {
		this.url = EmbeddedPostgresServer.newDatabaseUrl();
		this.dataSource = new HikariDataSource();
		this.dataSource.setJdbcUrl(this.url);
		this.dataSource.setUsername("postgres");
		this.dataSource.setPassword("postgres");
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.jdbc.execute("CREATE TABLE chunk_row (id INT PRIMARY KEY)");
	}

	@AfterEach
	void close() {
		this.dataSource.close();
	}

	@Test
	void aRollbackOnAConnectionTheDatabaseDroppedCountsAsDoneAndTheCauseIsThrown() {
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> writeWhileTheBackendIsTerminated(new ConnectionLossTransactionManager(this.dataSource)))
			.isNotInstanceOf(TransactionSystemException.class)
			.withMessageContaining("INSERT INTO chunk_row");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM chunk_row", Integer.class))
			.as("rows of the dropped transaction")
			.isZero();
		// The pool replaced the dropped connection: the next transaction works.
		new TransactionTemplate(new ConnectionLossTransactionManager(this.dataSource))
			.executeWithoutResult((status) -> this.jdbc.update("INSERT INTO chunk_row VALUES (3)"));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM chunk_row", Integer.class)).isOne();
	}

	@Test
	void springsManagerReportsTheSameRollbackAsFailed() {
		assertThatExceptionOfType(TransactionSystemException.class)
			.isThrownBy(() -> writeWhileTheBackendIsTerminated(new JdbcTransactionManager(this.dataSource)))
			.withMessageContaining("JDBC rollback failed");
	}

	private void writeWhileTheBackendIsTerminated(PlatformTransactionManager manager) {
		new TransactionTemplate(manager).executeWithoutResult((status) -> {
			this.jdbc.update("INSERT INTO chunk_row VALUES (1)");
			int pid = this.jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class);
			terminate(pid);
			this.jdbc.update("INSERT INTO chunk_row VALUES (2)");
		});
	}

	private void terminate(int pid) {
		try (Connection admin = DriverManager.getConnection(this.url, "postgres", "postgres");
				Statement statement = admin.createStatement()) {
			statement.execute("SELECT pg_terminate_backend(" + pid + ")");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
