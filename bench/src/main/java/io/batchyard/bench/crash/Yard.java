package io.batchyard.bench.crash;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one job's trials run: a working directory and a job repository, the H2 file of
 * the embedded default ({@code ./var/batchyard}, opened here through {@code AUTO_SERVER}
 * while a node runs) or a fresh PostgreSQL database. Every query opens and closes its own
 * connection, so the campaign never holds the H2 file when a node starts.
 */
final class Yard {

	private final Path directory;

	private final String url;

	private final String user;

	private final String password;

	private final boolean postgresql;

	private final ThreadLocal<Connection> held = new ThreadLocal<>();

	private Yard(Path directory, String url, String user, String password, boolean postgresql) {
		this.directory = directory;
		this.url = url;
		this.user = user;
		this.password = password;
		this.postgresql = postgresql;
	}

	static Yard h2(Path directory) {
		return new Yard(directory, "jdbc:h2:file:" + directory.toAbsolutePath().resolve("var/batchyard")
				+ ";MODE=PostgreSQL;AUTO_SERVER=TRUE;WRITE_DELAY=0", "sa", "", false);
	}

	static Yard postgresql(Path directory, String url) {
		return new Yard(directory, url, "postgres", "postgres", true);
	}

	Path directory() {
		return this.directory;
	}

	boolean postgresql() {
		return this.postgresql;
	}

	/** The node settings that point it at this repository. */
	List<String> settings() {
		if (!this.postgresql) {
			return List.of();
		}
		return List.of("--spring.datasource.url=" + this.url, "--spring.datasource.username=" + this.user,
				"--spring.datasource.password=" + this.password);
	}

	Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.user, this.password);
	}

	/**
	 * Rows of a query, each as its columns joined by {@code |}.
	 * @param sql the query
	 * @param arguments its arguments
	 * @return the rows
	 */
	List<String> lines(String sql, Object... arguments) {
		Connection own = this.held.get();
		try (Connection connection = (own != null) ? null : connect()) {
			return lines((own != null) ? own : connection, sql, arguments);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Runs {@code reads} on this thread over one connection. After a kill on H2, each new
	 * connection opens the file again (the database closes with its last connection), at
	 * seconds apiece on a busy machine: the reads between the kill and the next node's
	 * start hold one. It is closed before the node starts.
	 * @param reads the reads
	 * @return their result
	 */
	<T> T holding(java.util.function.Supplier<T> reads) {
		try (Connection connection = connect()) {
			this.held.set(connection);
			return reads.get();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
		finally {
			this.held.remove();
		}
	}

	private static List<String> lines(Connection connection, String sql, Object... arguments) throws SQLException {
		List<String> rows = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < arguments.length; i++) {
				statement.setObject(i + 1, arguments[i]);
			}
			try (ResultSet rs = statement.executeQuery()) {
				int columns = rs.getMetaData().getColumnCount();
				while (rs.next()) {
					StringBuilder row = new StringBuilder();
					for (int i = 1; i <= columns; i++) {
						row.append((i > 1) ? "|" : "").append(rs.getString(i));
					}
					rows.add(row.toString());
				}
			}
		}
		return rows;
	}

	String string(String sql, Object... arguments) {
		List<String> rows = lines(sql, arguments);
		return rows.isEmpty() ? null : rows.get(0);
	}

	long number(String sql, Object... arguments) {
		String value = string(sql, arguments);
		return (value != null) ? Long.parseLong(value) : 0;
	}

	void execute(String sql) {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Drops every PostgreSQL connection the application holds to this database (the
	 * connection-loss fault).
	 * @return how many were terminated
	 */
	long terminateApplicationConnections() {
		return number("SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
				+ " WHERE datname = current_database() AND pid <> pg_backend_pid()) t");
	}

}
