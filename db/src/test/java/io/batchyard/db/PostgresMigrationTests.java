package io.batchyard.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.batchyard.test.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresMigrationTests extends MigrationTests {

	@Override
	DataSource newDatabase() {
		return EmbeddedPostgresServer.newDatabase();
	}

	@Override
	String vendor() {
		return "postgresql";
	}

	@Override
	String nextValue(String sequence) {
		return "nextval('" + sequence + "')";
	}

	/**
	 * The outcome the import gives a batch's pending enhancements (importing → completed,
	 * discarded or failed) is a HOT update (no index gets a new entry) wherever the page
	 * has room. With status in the claim and expiry indexes (V7) not one of these updates
	 * was HOT.
	 */
	@Test
	void givesPendingEnhancementsTheirOutcomeWithHotUpdates() throws SQLException {
		try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("INSERT INTO reference (id, visibility, created_at) SELECT"
					+ " md5('r' || i)::uuid, 'public', now() FROM generate_series(1, 500) i");
			statement.execute("INSERT INTO enhancement_request (id, robot_id, request_status, created_at, updated_at)"
					+ " VALUES ('00000000-0000-0000-0000-0000000000a1', 'robot-1', 'processing', now(), now())");
			statement.execute("INSERT INTO robot_enhancement_batch (id, robot_id, status, reference_data_key,"
					+ " result_key, expires_at, created_at, updated_at) VALUES"
					+ " ('00000000-0000-0000-0000-0000000000c1', 'robot-1', 'importing', 'r', 'k', now(), now(), now())");
			statement.execute("INSERT INTO pending_enhancement (id, enhancement_request_id, reference_id, robot_id,"
					+ " status, batch_id, expires_at, retry_depth, created_at, updated_at) SELECT md5('p' || i)::uuid,"
					+ " '00000000-0000-0000-0000-0000000000a1', md5('r' || i)::uuid, 'robot-1', 'importing',"
					+ " '00000000-0000-0000-0000-0000000000c1', now(), 0, now(), now() FROM generate_series(1, 500) i");
			connection.setAutoCommit(false);
			int updated = statement.executeUpdate("UPDATE pending_enhancement SET status = CASE WHEN"
					+ " retry_depth = 0 THEN 'completed' END, result_entry = 1, reason = NULL, updated_at = now()"
					+ " WHERE batch_id = '00000000-0000-0000-0000-0000000000c1' AND status = 'importing'");
			try (ResultSet result = statement.executeQuery("SELECT n_tup_upd, n_tup_hot_upd FROM"
					+ " pg_stat_xact_user_tables WHERE relname = 'pending_enhancement'")) {
				assertThat(result.next()).isTrue();
				assertThat(updated).isEqualTo(500);
				assertThat(result.getLong(1)).isEqualTo(500);
				// A tuple that grew past its page's free space moves (non-HOT): not
				// every one of them, but 0 of 500 with V7's indexes.
				assertThat(result.getLong(2)).isGreaterThanOrEqualTo(450);
			}
			connection.commit();
		}
	}

}
