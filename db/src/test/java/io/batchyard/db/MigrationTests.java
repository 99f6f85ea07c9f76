package io.batchyard.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The migrations of one database vendor, applied by Flyway to a fresh database the way
 * the launcher applies them. Spring Boot resolves the launcher's
 * {@code classpath:db/migration/{vendor}}; plain Flyway needs the vendor's folder.
 */
abstract class MigrationTests {

	static final List<String> TABLES = List.of("BATCH_JOB_INSTANCE", "BATCH_JOB_EXECUTION",
			"BATCH_JOB_EXECUTION_PARAMS", "BATCH_JOB_EXECUTION_CONTEXT", "BATCH_STEP_EXECUTION",
			"BATCH_STEP_EXECUTION_CONTEXT", "BATCHYARD_NODE", "BATCHYARD_NODE_EXECUTION", "BATCHYARD_SCHEDULE_FIRE",
			"BATCHYARD_SKIPPED_ITEM", "manifests", "batches", "canvas_paintings", "batch_assets", "batch_canvases");

	private DataSource dataSource;

	private MigrateResult migration;

	/**
	 * A fresh, empty database.
	 * @return its data source
	 */
	abstract DataSource newDatabase();

	/**
	 * The vendor folder, as Spring Boot names it in {@code {vendor}}.
	 * @return the folder under {@code db/migration}
	 */
	abstract String vendor();

	/**
	 * The SQL expression that draws the next value of a sequence.
	 * @param sequence the sequence
	 * @return the expression
	 */
	abstract String nextValue(String sequence);

	@BeforeEach
	void migrate() {
		this.dataSource = newDatabase();
		this.migration = Flyway.configure()
			.dataSource(this.dataSource)
			.locations("classpath:db/migration/" + vendor())
			.load()
			.migrate();
	}

	@Test
	void appliesEveryMigrationToAFreshDatabase() {
		Flyway flyway = Flyway.configure()
			.dataSource(this.dataSource)
			.locations("classpath:db/migration/" + vendor())
			.load();
		int available = flyway.info().all().length;
		assertThat(this.migration.success).isTrue();
		assertThat(available).isGreaterThanOrEqualTo(3);
		assertThat(this.migration.migrationsExecuted).isEqualTo(available);
		// Versions need not be contiguous (builders take numbers in parallel): the target
		// is the highest one found.
		String highest = java.util.Arrays.stream(flyway.info().all())
			.map((info) -> info.getVersion())
			.max(java.util.Comparator.naturalOrder())
			.map(Object::toString)
			.orElseThrow();
		assertThat(this.migration.targetSchemaVersion).isEqualTo(highest);
		assertThat(flyway.info().pending()).isEmpty();
	}

	@Test
	void createsTheBatchAndRunnerTablesEmpty() throws SQLException {
		for (String table : TABLES) {
			assertThat(count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
		}
	}

	@Test
	void migratingAgainChangesNothing() {
		MigrateResult again = Flyway.configure()
			.dataSource(this.dataSource)
			.locations("classpath:db/migration/" + vendor())
			.load()
			.migrate();
		assertThat(again.migrationsExecuted).isZero();
	}

	@Test
	void allowsAtMostOneRunningExecutionPerInstance() throws SQLException {
		long instance = insertInstance("guardedJob", "key-1");
		long other = insertInstance("guardedJob", "key-2");
		insertExecution(instance, "COMPLETED");
		insertExecution(instance, "FAILED");
		insertExecution(instance, "FAILED");
		insertExecution(instance, "COMPLETED");
		insertExecution(instance, "ABANDONED");
		insertExecution(instance, "STOPPED");
		long running = insertExecution(instance, "STARTED");
		// Another instance may run at the same time.
		insertExecution(other, "STARTED");
		for (String status : List.of("STARTING", "STARTED", "STOPPING")) {
			assertThatExceptionOfType(SQLException.class).as(status)
				.isThrownBy(() -> insertExecution(instance, status))
				.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("23"));
		}
		// Once the running execution ended, a new one may start.
		update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'FAILED' WHERE JOB_EXECUTION_ID = " + running);
		insertExecution(instance, "STARTING");
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE JOB_INSTANCE_ID = " + instance)).isEqualTo(8);
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE JOB_INSTANCE_ID = " + instance
				+ " AND STATUS IN ('STARTING', 'STARTED', 'STOPPING')"))
			.isEqualTo(1);
	}

	@Test
	void refusesToStartARunningExecutionWhileAnotherRuns() throws SQLException {
		long instance = insertInstance("guardedJob", "key-1");
		insertExecution(instance, "STOPPING");
		long failed = insertExecution(instance, "FAILED");
		assertThatExceptionOfType(SQLException.class).isThrownBy(
				() -> update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STARTED' WHERE JOB_EXECUTION_ID = " + failed));
	}

	@Test
	void rejectsASecondInstanceWithTheSameKey() throws SQLException {
		insertInstance("guardedJob", "key-1");
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> insertInstance("guardedJob", "key-1"));
		insertInstance("otherJob", "key-1");
	}

	@Test
	void remembersEachRobotRequestNonceOnce() throws SQLException {
		update("INSERT INTO robot_request_nonce (client_id, nonce, expires_at) VALUES ('robot-1', 'n-1',"
				+ " CURRENT_TIMESTAMP)");
		update("INSERT INTO robot_request_nonce (client_id, nonce, expires_at) VALUES ('robot-2', 'n-1',"
				+ " CURRENT_TIMESTAMP)");
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> update("INSERT INTO robot_request_nonce (client_id, nonce, expires_at)"
					+ " VALUES ('robot-1', 'n-1', CURRENT_TIMESTAMP)"))
			.satisfies((ex) -> assertThat(ex.getSQLState()).startsWith("23"));
	}

	/**
	 * The claim and the lease expiry are indexed on generated columns that hold their
	 * sort key only while a pending enhancement is pending or processing: importing →
	 * completed changes no indexed value (on PostgreSQL, a HOT update).
	 */
	@Test
	void keepsTheClaimAndLeaseKeysOnlyWhilePendingOrProcessing() throws SQLException {
		update("INSERT INTO reference (id, visibility, created_at) VALUES ('00000000-0000-0000-0000-000000000001',"
				+ " 'public', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00')");
		update("INSERT INTO enhancement_request (id, robot_id, request_status, created_at, updated_at) VALUES"
				+ " ('00000000-0000-0000-0000-0000000000a1', 'robot-1', 'received',"
				+ " TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00')");
		update("INSERT INTO pending_enhancement (id, enhancement_request_id, reference_id, robot_id, status,"
				+ " retry_depth, created_at, updated_at) VALUES ('00000000-0000-0000-0000-0000000000b1',"
				+ " '00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001', 'robot-1',"
				+ " 'pending', 0, TIMESTAMP WITH TIME ZONE '2026-01-01 10:00:00+00',"
				+ " TIMESTAMP WITH TIME ZONE '2026-01-01 10:00:00+00')");
		assertThat(keys()).isEqualTo("2026-01-01T10:00:00Z null");
		update("UPDATE pending_enhancement SET status = 'processing',"
				+ " expires_at = TIMESTAMP WITH TIME ZONE '2026-01-01 11:00:00+00'");
		assertThat(keys()).isEqualTo("null 2026-01-01T11:00:00Z");
		update("UPDATE pending_enhancement SET status = 'importing'");
		assertThat(keys()).isEqualTo("null null");
		update("UPDATE pending_enhancement SET status = 'completed'");
		assertThat(keys()).isEqualTo("null null");
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> update("UPDATE pending_enhancement SET queued_at = CURRENT_TIMESTAMP"));
	}

	private String keys() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement
					.executeQuery("SELECT queued_at, lease_expires_at FROM pending_enhancement")) {
			assertThat(result.next()).isTrue();
			return instant(result, 1) + " " + instant(result, 2);
		}
	}

	private static String instant(ResultSet result, int column) throws SQLException {
		java.time.OffsetDateTime value = result.getObject(column, java.time.OffsetDateTime.class);
		return (value != null) ? value.toInstant().toString() : "null";
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	private long insertInstance(String jobName, String key) throws SQLException {
		long id = count("SELECT " + nextValue("BATCH_JOB_INSTANCE_SEQ"));
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement insert = connection.prepareStatement(
						"INSERT INTO BATCH_JOB_INSTANCE (JOB_INSTANCE_ID, VERSION, JOB_NAME, JOB_KEY) VALUES (?, 0, ?, ?)")) {
			insert.setLong(1, id);
			insert.setString(2, jobName);
			insert.setString(3, key);
			insert.executeUpdate();
		}
		return id;
	}

	private long insertExecution(long instance, String status) throws SQLException {
		long id = count("SELECT " + nextValue("BATCH_JOB_EXECUTION_SEQ"));
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement insert = connection.prepareStatement(
						"INSERT INTO BATCH_JOB_EXECUTION (JOB_EXECUTION_ID, VERSION, JOB_INSTANCE_ID, CREATE_TIME, STATUS)"
								+ " VALUES (?, 0, ?, ?, ?)")) {
			insert.setLong(1, id);
			insert.setLong(2, instance);
			insert.setTimestamp(3, Timestamp.valueOf(LocalDateTime.now()));
			insert.setString(4, status);
			insert.executeUpdate();
		}
		return id;
	}

	private void update(String sql) throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.executeUpdate(sql);
		}
	}

	private long count(String sql) throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			assertThat(result.next()).isTrue();
			return result.getLong(1);
		}
	}

}
