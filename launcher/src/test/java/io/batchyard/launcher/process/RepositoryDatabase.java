package io.batchyard.launcher.process;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.flywaydb.core.Flyway;

/**
 * The H2 job repository of a {@link BatchyardProcess}'s working directory, opened with
 * JDBC from the test. {@code AUTO_SERVER} lets the test read it while the application
 * runs; every call opens and closes its own connection, so the test never keeps the
 * database open when an application starts.
 */
public final class RepositoryDatabase {

	private final String url;

	public RepositoryDatabase(Path workingDirectory) {
		this.url = "jdbc:h2:file:" + workingDirectory.toAbsolutePath().resolve("var/batchyard")
				+ ";MODE=PostgreSQL;AUTO_SERVER=TRUE;WRITE_DELAY=0";
	}

	public String url() {
		return this.url;
	}

	/**
	 * Creates the schema with the application's own migrations, so the repository can be
	 * seeded before the application first starts.
	 */
	public void migrate() {
		Flyway.configure().dataSource(this.url, "sa", "").locations("classpath:db/migration/h2").load().migrate();
	}

	public Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, "sa", "");
	}

	public List<Long> longs(String sql, Object... arguments) {
		List<Long> values = new ArrayList<>();
		query(sql, arguments, (rs) -> values.add(rs.getLong(1)));
		return values;
	}

	public long count(String sql, Object... arguments) {
		return longs(sql, arguments).get(0);
	}

	public String string(String sql, Object... arguments) {
		List<String> values = new ArrayList<>();
		query(sql, arguments, (rs) -> values.add(rs.getString(1)));
		return values.isEmpty() ? null : values.get(0);
	}

	/**
	 * Rows of a query as column-name maps.
	 * @param sql the query
	 * @param arguments its arguments
	 * @return the rows
	 */
	public List<Map<String, Object>> rows(String sql, Object... arguments) {
		List<Map<String, Object>> rows = new ArrayList<>();
		query(sql, arguments, (rs) -> {
			Map<String, Object> row = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
				row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
			}
			rows.add(row);
		});
		return rows;
	}

	private void query(String sql, Object[] arguments, RowCallback callback) {
		try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < arguments.length; i++) {
				statement.setObject(i + 1, arguments[i]);
			}
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					callback.row(rs);
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

	@FunctionalInterface
	private interface RowCallback {

		void row(ResultSet rs) throws SQLException;

	}

}
