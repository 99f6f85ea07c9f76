package io.batchyard.launcher.dashboard.nodes;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.batchyard.launcher.runner.RunnerNode;
import io.batchyard.launcher.unattended.NotificationOutbox;
import io.batchyard.launcher.runner.RunnerProperties;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The runner nodes sharing this job repository: heartbeat, whether it is alive, and the
 * running executions each one claimed.
 */
@Controller
class NodesPageController {

	private final JdbcTemplate jdbc;

	private final RunnerNode self;

	private final RunnerProperties properties;

	private final NotificationOutbox outbox;

	NodesPageController(JdbcTemplate jdbc, RunnerNode self, RunnerProperties properties, NotificationOutbox outbox) {
		this.outbox = outbox;
		this.jdbc = jdbc;
		this.self = self;
		this.properties = properties;
	}

	record Claim(long executionId, String job, String status) {
	}

	record NodeRow(String id, String host, long pid, String role, Instant startedAt, Instant heartbeatAt,
			Instant stoppedAt, boolean alive, boolean self, List<Claim> running) {
	}

	/**
	 * Nodes silent for longer are hidden unless asked for: a rolling restart leaves many.
	 */
	private static final java.time.Duration HIDDEN_AFTER = java.time.Duration.ofDays(1);

	@GetMapping("/nodes")
	String nodes(@org.springframework.web.bind.annotation.RequestParam(defaultValue = "false") boolean all,
			Model model) {
		Map<String, List<Claim>> claims = this.jdbc
			.query("SELECT C.NODE_ID, E.JOB_EXECUTION_ID, I.JOB_NAME, E.STATUS FROM BATCHYARD_NODE_EXECUTION C"
					+ " JOIN BATCH_JOB_EXECUTION E ON E.JOB_EXECUTION_ID = C.JOB_EXECUTION_ID"
					+ " JOIN BATCH_JOB_INSTANCE I ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID"
					+ " WHERE E.STATUS IN ('STARTING', 'STARTED', 'STOPPING') ORDER BY E.JOB_EXECUTION_ID",
					(rs, row) -> Map.entry(rs.getString(1), new Claim(rs.getLong(2), rs.getString(3), rs.getString(4))))
			.stream()
			.collect(Collectors.groupingBy(Map.Entry::getKey,
					Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
		Instant expired = Instant.now().minus(this.properties.heartbeatTimeout());
		Timestamp shownSince = Timestamp.from(all ? Instant.EPOCH : Instant.now().minus(HIDDEN_AFTER));
		List<NodeRow> nodes = this.jdbc.query(
				"SELECT NODE_ID, HOST_NAME, PID, ROLE, STARTED_AT, HEARTBEAT_AT,"
						+ " STOPPED_AT FROM BATCHYARD_NODE WHERE HEARTBEAT_AT >= ? ORDER BY"
						+ " (CASE WHEN STOPPED_AT IS NULL THEN 0 ELSE 1 END), HEARTBEAT_AT DESC LIMIT 200",
				(rs, row) -> {
					Instant heartbeat = instant(rs.getTimestamp(6));
					Instant stopped = instant(rs.getTimestamp(7));
					String id = rs.getString(1);
					return new NodeRow(id, rs.getString(2), rs.getLong(3), rs.getString(4), instant(rs.getTimestamp(5)),
							heartbeat, stopped, stopped == null && heartbeat != null && heartbeat.isAfter(expired),
							id.equals(this.self.id()), claims.getOrDefault(id, List.of()));
				}, shownSince);
		model.addAttribute("nodes", nodes);
		model.addAttribute("all", all);
		model.addAttribute("hidden", this.jdbc
			.queryForObject("SELECT COUNT(*) FROM BATCHYARD_NODE WHERE HEARTBEAT_AT < ?", Long.class, shownSince));
		model.addAttribute("heartbeatTimeout", this.properties.heartbeatTimeout());
		model.addAttribute("undelivered", this.outbox.undelivered());
		return "dashboard/nodes";
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
