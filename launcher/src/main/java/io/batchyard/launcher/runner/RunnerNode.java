package io.batchyard.launcher.runner;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * This process as a node of the shared job repository: its heartbeat, and which
 * executions it runs. Another node that sees the heartbeat expire recovers those
 * executions.
 */
public class RunnerNode {

	private static final Log logger = LogFactory.getLog(RunnerNode.class);

	private static final String RUNNING = "'STARTING', 'STARTED', 'STOPPING'";

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final RunnerProperties properties;

	private final String id;

	public RunnerNode(JdbcTemplate jdbc, Clock clock, RunnerProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
		// NODE_ID is 64 characters: a long host name (a pod's) must not break
		// registration.
		String host = hostName();
		this.id = ((host.length() > 40) ? host.substring(0, 40) : host) + "-" + ProcessHandle.current().pid() + "-"
				+ UUID.randomUUID().toString().substring(0, 8);
	}

	public String id() {
		return this.id;
	}

	void register() {
		Timestamp now = now();
		try {
			this.jdbc.update(
					"INSERT INTO BATCHYARD_NODE (NODE_ID, HOST_NAME, PID, ROLE, STARTED_AT, HEARTBEAT_AT) VALUES (?, ?, ?, ?, ?, ?)",
					this.id, hostName(), ProcessHandle.current().pid(), this.properties.role(), now, now);
		}
		catch (DuplicateKeyException ex) {
			// Started again after a stop in the same process (the test framework pauses
			// and restarts cached contexts): the node is back, with the same id.
			this.jdbc.update("UPDATE BATCHYARD_NODE SET STOPPED_AT = NULL, HEARTBEAT_AT = ? WHERE NODE_ID = ?", now,
					this.id);
		}
		logger.info("Runner node " + this.id + " (" + this.properties.role() + ") joined the job repository");
	}

	/**
	 * Forgets nodes that have been silent longer than the retention: they stopped, or
	 * died long ago and their executions were recovered.
	 * @param retention the job repository's retention
	 * @return how many were forgotten
	 */
	int forgetNodesSilentFor(Duration retention) {
		return this.jdbc.update("DELETE FROM BATCHYARD_NODE WHERE HEARTBEAT_AT < ?",
				Timestamp.from(this.clock.instant().minus(retention)));
	}

	void heartbeat() {
		this.jdbc.update("UPDATE BATCHYARD_NODE SET HEARTBEAT_AT = ? WHERE NODE_ID = ?", now(), this.id);
	}

	void deregister() {
		this.jdbc.update("UPDATE BATCHYARD_NODE SET STOPPED_AT = ?, HEARTBEAT_AT = ? WHERE NODE_ID = ?", now(), now(),
				this.id);
	}

	/**
	 * Records that this node runs an execution.
	 * @param jobExecutionId the execution
	 */
	public void claim(long jobExecutionId) {
		int updated = this.jdbc.update(
				"UPDATE BATCHYARD_NODE_EXECUTION SET NODE_ID = ?, CLAIMED_AT = ? WHERE JOB_EXECUTION_ID = ?", this.id,
				now(), jobExecutionId);
		if (updated == 0) {
			try {
				this.jdbc.update(
						"INSERT INTO BATCHYARD_NODE_EXECUTION (JOB_EXECUTION_ID, NODE_ID, CLAIMED_AT) VALUES (?, ?, ?)",
						jobExecutionId, this.id, now());
			}
			catch (DuplicateKeyException ex) {
				// The launching thread and the job's beforeJob listener both claim a new
				// execution, and may both find no row. Left to escape, this exception
				// made the launch service take a successful launch for a lost race and
				// answer "already running".
				this.jdbc.update(
						"UPDATE BATCHYARD_NODE_EXECUTION SET NODE_ID = ?, CLAIMED_AT = ? WHERE JOB_EXECUTION_ID = ?",
						this.id, now(), jobExecutionId);
			}
		}
	}

	/**
	 * The running executions this node claimed.
	 * @return their ids
	 */
	public List<Long> runningExecutions() {
		return this.jdbc
			.queryForList("SELECT C.JOB_EXECUTION_ID FROM BATCHYARD_NODE_EXECUTION C JOIN BATCH_JOB_EXECUTION E"
					+ " ON E.JOB_EXECUTION_ID = C.JOB_EXECUTION_ID WHERE C.NODE_ID = ? AND E.STATUS IN (" + RUNNING
					+ ")", Long.class, this.id);
	}

	/**
	 * The executions this node claimed that still have a step at work. A stopped
	 * execution is done only once its step has finished the chunk in flight: shutdown
	 * waits for the steps.
	 * @return their ids
	 */
	public List<Long> executionsWithRunningSteps() {
		return this.jdbc.queryForList("SELECT C.JOB_EXECUTION_ID FROM BATCHYARD_NODE_EXECUTION C WHERE C.NODE_ID = ?"
				+ " AND EXISTS (SELECT 1 FROM BATCH_STEP_EXECUTION S WHERE S.JOB_EXECUTION_ID = C.JOB_EXECUTION_ID"
				+ " AND S.STATUS IN (" + RUNNING + "))", Long.class, this.id);
	}

	/**
	 * Running executions whose node is dead: it stopped, or its heartbeat is older than
	 * the timeout. An execution no node claimed counts as dead once it is older than the
	 * timeout (its process died between creating it and starting it).
	 * @return their ids
	 */
	public List<Long> deadExecutions() {
		Timestamp expired = Timestamp.from(this.clock.instant().minus(this.properties.heartbeatTimeout()));
		// Spring Batch writes local date-times of the JVM's zone.
		Timestamp unclaimedBefore = Timestamp
			.valueOf(java.time.LocalDateTime.now(this.clock).minus(this.properties.heartbeatTimeout()));
		return this.jdbc.queryForList("SELECT E.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION E"
				+ " LEFT JOIN BATCHYARD_NODE_EXECUTION C ON C.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID"
				+ " LEFT JOIN BATCHYARD_NODE N ON N.NODE_ID = C.NODE_ID WHERE E.STATUS IN (" + RUNNING + ") AND ("
				+ " (C.NODE_ID IS NULL AND E.CREATE_TIME < ?)"
				+ " OR (C.NODE_ID IS NOT NULL AND (N.NODE_ID IS NULL OR N.STOPPED_AT IS NOT NULL OR N.HEARTBEAT_AT < ?)))"
				+ " ORDER BY E.JOB_EXECUTION_ID", Long.class, unclaimedBefore, expired);
	}

	/**
	 * Why an execution counts as dead, in words for its exit description.
	 * @param jobExecutionId the execution
	 * @return "runner node X stopped heart-beating at T" or how else it died
	 */
	public String deathOf(long jobExecutionId) {
		List<String> reasons = this.jdbc.query(
				"SELECT C.NODE_ID, N.HEARTBEAT_AT, N.STOPPED_AT FROM"
						+ " BATCHYARD_NODE_EXECUTION C LEFT JOIN BATCHYARD_NODE N ON N.NODE_ID = C.NODE_ID"
						+ " WHERE C.JOB_EXECUTION_ID = ?",
				(rs, row) -> death(rs.getString(1), rs.getTimestamp(2), rs.getTimestamp(3)), jobExecutionId);
		return reasons.isEmpty() ? "no runner node claimed it within " + this.properties.heartbeatTimeout()
				: reasons.get(0);
	}

	/**
	 * Records that this node runs a partition of another node's execution (remote
	 * partitioning), in the caller's transaction.
	 * @param partition the partition's step execution
	 */
	public void claimPartition(StepExecution partition) {
		Timestamp now = now();
		if (this.jdbc.update("UPDATE BATCHYARD_NODE_PARTITION SET NODE_ID = ?, CLAIMED_AT = ?, RECOVERED_AT = NULL,"
				+ " RECOVERED_BY = NULL WHERE STEP_EXECUTION_ID = ?", this.id, now, partition.getId()) == 0) {
			this.jdbc.update(
					"INSERT INTO BATCHYARD_NODE_PARTITION (STEP_EXECUTION_ID, JOB_EXECUTION_ID, NODE_ID, CLAIMED_AT)"
							+ " VALUES (?, ?, ?, ?)",
					partition.getId(), partition.getJobExecutionId(), this.id, now);
		}
	}

	/**
	 * Running partitions whose worker node is dead: it stopped, or its heartbeat is older
	 * than the timeout. A partition nobody claimed yet ({@code STARTING}) is not dead: it
	 * waits in the partition queue for a worker.
	 * @return their step execution ids
	 */
	public List<Long> deadPartitions() {
		Timestamp expired = Timestamp.from(this.clock.instant().minus(this.properties.heartbeatTimeout()));
		return this.jdbc.queryForList("SELECT P.STEP_EXECUTION_ID FROM BATCHYARD_NODE_PARTITION P"
				+ " JOIN BATCH_STEP_EXECUTION S ON S.STEP_EXECUTION_ID = P.STEP_EXECUTION_ID"
				+ " LEFT JOIN BATCHYARD_NODE N ON N.NODE_ID = P.NODE_ID WHERE S.STATUS IN (" + RUNNING + ")"
				+ " AND (N.NODE_ID IS NULL OR N.STOPPED_AT IS NOT NULL OR N.HEARTBEAT_AT < ?)"
				+ " ORDER BY P.STEP_EXECUTION_ID", Long.class, expired);
	}

	/**
	 * Why a partition counts as dead, in words for its exit description.
	 * @param stepExecutionId the partition's step execution
	 * @return "runner node X stopped heart-beating at T" or how else it died
	 */
	public String partitionDeathOf(long stepExecutionId) {
		List<String> reasons = this.jdbc.query(
				"SELECT P.NODE_ID, N.HEARTBEAT_AT, N.STOPPED_AT FROM"
						+ " BATCHYARD_NODE_PARTITION P LEFT JOIN BATCHYARD_NODE N ON N.NODE_ID = P.NODE_ID"
						+ " WHERE P.STEP_EXECUTION_ID = ?",
				(rs, row) -> death(rs.getString(1), rs.getTimestamp(2), rs.getTimestamp(3)), stepExecutionId);
		return reasons.isEmpty() ? "no runner node claimed it" : reasons.get(0);
	}

	/**
	 * Records that this node recovered a partition of a dead worker, in the caller's
	 * transaction: the restart policy reads it as a lost node.
	 * @param stepExecutionId the partition's step execution
	 */
	public void partitionRecovered(long stepExecutionId) {
		this.jdbc.update("UPDATE BATCHYARD_NODE_PARTITION SET RECOVERED_AT = ?, RECOVERED_BY = ?"
				+ " WHERE STEP_EXECUTION_ID = ?", now(), this.id, stepExecutionId);
	}

	/**
	 * Which nodes ran an execution: the node that claimed it (the manager's, for a
	 * partitioned step) and the nodes that ran its remote partitions.
	 * @param jobExecutionId the execution
	 * @return its nodes
	 */
	public ExecutionNodes nodesOf(long jobExecutionId) {
		List<String> claimed = this.jdbc.queryForList(
				"SELECT NODE_ID FROM BATCHYARD_NODE_EXECUTION WHERE JOB_EXECUTION_ID = ?", String.class,
				jobExecutionId);
		Map<Long, String> partitions = new LinkedHashMap<>();
		this.jdbc.query("SELECT STEP_EXECUTION_ID, NODE_ID FROM BATCHYARD_NODE_PARTITION WHERE JOB_EXECUTION_ID = ?"
				+ " ORDER BY STEP_EXECUTION_ID", (rs) -> {
					partitions.put(rs.getLong(1), rs.getString(2));
				}, jobExecutionId);
		return new ExecutionNodes(claimed.isEmpty() ? null : claimed.get(0), partitions);
	}

	/**
	 * The nodes of one execution.
	 *
	 * @param node the node that claimed the execution, {@code null} if none did
	 * @param partitions the worker node of each remote partition, by step execution id
	 */
	public record ExecutionNodes(String node, Map<Long, String> partitions) {

		/**
		 * The node that ran a step execution.
		 * @param stepExecutionId the step execution
		 * @return its worker's node for a remote partition, else the execution's node
		 */
		public String of(long stepExecutionId) {
			return this.partitions.getOrDefault(stepExecutionId, this.node);
		}

	}

	private static String death(String nodeId, Timestamp heartbeat, Timestamp stopped) {
		if (stopped != null) {
			return "runner node " + nodeId + " stopped at " + stopped.toInstant() + " without finishing it";
		}
		return (heartbeat != null) ? "runner node " + nodeId + " stopped heart-beating at " + heartbeat.toInstant()
				: "runner node " + nodeId + " is no longer registered";
	}

	/**
	 * Whether the node running an execution is alive.
	 * @param jobExecutionId the execution
	 * @return {@code false} when the execution is counted dead by
	 * {@link #deadExecutions()}
	 */
	public boolean isRunnerAlive(long jobExecutionId) {
		List<Timestamp> heartbeats = this.jdbc.query(
				"SELECT CASE WHEN N.STOPPED_AT IS NULL THEN N.HEARTBEAT_AT END FROM BATCHYARD_NODE_EXECUTION C"
						+ " LEFT JOIN BATCHYARD_NODE N ON N.NODE_ID = C.NODE_ID WHERE C.JOB_EXECUTION_ID = ?",
				(rs, row) -> rs.getTimestamp(1), jobExecutionId);
		if (heartbeats.isEmpty()) {
			List<Timestamp> created = this.jdbc.query(
					"SELECT CREATE_TIME FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?",
					(rs, row) -> rs.getTimestamp(1), jobExecutionId);
			return !created.isEmpty() && created.get(0)
				.toLocalDateTime()
				.isAfter(java.time.LocalDateTime.now(this.clock).minus(this.properties.heartbeatTimeout()));
		}
		Timestamp heartbeat = heartbeats.get(0);
		return heartbeat != null
				&& heartbeat.toInstant().isAfter(this.clock.instant().minus(this.properties.heartbeatTimeout()));
	}

	/**
	 * Silence after which a node counts as dead.
	 * @return {@code batchyard.runner.heartbeat-timeout}
	 */
	public Duration heartbeatTimeout() {
		return this.properties.heartbeatTimeout();
	}

	Duration heartbeatInterval() {
		return this.properties.heartbeatInterval();
	}

	private Timestamp now() {
		return Timestamp.from(Instant.now(this.clock));
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown-host";
		}
	}

}
