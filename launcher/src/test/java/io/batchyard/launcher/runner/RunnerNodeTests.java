package io.batchyard.launcher.runner;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.test.RepositoryFixture;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@BatchyardTest
class RunnerNodeTests {

	@Autowired
	RunnerNode node;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	RunnerLifecycle lifecycle;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

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

	@Test
	void aRecoveredExecutionSaysWhichNodeDiedWhenAndWhoRecoveredIt() {
		Instant lastBeat = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		Timestamp at = Timestamp.from(lastBeat);
		this.jdbc.update("INSERT INTO BATCHYARD_NODE (NODE_ID, HOST_NAME, PID, ROLE, STARTED_AT, HEARTBEAT_AT)"
				+ " VALUES ('died-mid-job', 'host', 1, 'server', ?, ?)", at, at);
		RepositoryFixture fixture = new RepositoryFixture(this.jobRepository);
		JobExecution running = fixture.execution(
				fixture.instance("repositoryPurgeJob",
						new JobParametersBuilder().addString("asOf", "2026-11-23T00:00:00Z").toJobParameters()),
				BatchStatus.STARTED, null);
		this.jdbc.update("INSERT INTO BATCHYARD_NODE_EXECUTION (JOB_EXECUTION_ID, NODE_ID, CLAIMED_AT) VALUES (?,"
				+ " 'died-mid-job', ?)", running.getId(), at);
		try {
			assertThat(this.lifecycle.recoverDeadExecutions()).contains(running.getId());

			JobExecution recovered = this.jobRepository.getJobExecution(running.getId());
			assertThat(recovered.getStatus()).isEqualTo(BatchStatus.FAILED);
			assertThat(recovered.getExitStatus().getExitDescription()).isEqualTo("runner node died-mid-job stopped "
					+ "heart-beating at " + lastBeat + "; recovered by " + this.node.id());
		}
		finally {
			this.repositoryUtils.removeJobExecutions();
			this.jdbc.update("DELETE FROM BATCHYARD_NODE WHERE NODE_ID = 'died-mid-job'");
		}
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
