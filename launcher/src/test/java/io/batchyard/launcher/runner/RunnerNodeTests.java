package io.batchyard.launcher.runner;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.batchyard.launcher.support.BatchyardTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@BatchyardTest
class RunnerNodeTests {

	@Autowired
	RunnerNode node;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void thisNodeJoinedTheRepositoryAndKeepsItsHeartbeatFresh() {
		Timestamp first = heartbeat(this.node.id());
		this.node.heartbeat();
		assertThat(heartbeat(this.node.id())).isAfterOrEqualTo(first);
		assertThat(this.jdbc.queryForObject("SELECT ROLE FROM BATCHYARD_NODE WHERE NODE_ID = ?", String.class,
				this.node.id()))
			.isEqualTo("server");
	}

	@Test
	void forgetsOnlyNodesSilentForLongerThanTheRetention() {
		insertNode("long-gone", Instant.now().minus(Duration.ofDays(31)));
		insertNode("recently-stopped", Instant.now().minus(Duration.ofDays(29)));
		assertThat(this.node.forgetNodesSilentFor(Duration.ofDays(30))).isEqualTo(1);
		List<String> nodes = this.jdbc.queryForList("SELECT NODE_ID FROM BATCHYARD_NODE", String.class);
		assertThat(nodes).contains("recently-stopped", this.node.id()).doesNotContain("long-gone");
	}

	private void insertNode(String id, Instant lastHeartbeat) {
		Timestamp at = Timestamp.from(lastHeartbeat);
		this.jdbc
			.update("INSERT INTO BATCHYARD_NODE (NODE_ID, HOST_NAME, PID, ROLE, STARTED_AT, HEARTBEAT_AT, STOPPED_AT)"
					+ " VALUES (?, 'host', 1, 'server', ?, ?, ?)", id, at, at, at);
	}

	private Timestamp heartbeat(String id) {
		return this.jdbc.queryForObject("SELECT HEARTBEAT_AT FROM BATCHYARD_NODE WHERE NODE_ID = ?", Timestamp.class,
				id);
	}

}
