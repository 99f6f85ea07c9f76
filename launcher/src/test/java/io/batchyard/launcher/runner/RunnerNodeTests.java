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
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

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

	@Test
	void aPartitionOfADeadWorkerIsRecoveredAndOneOfALiveWorkerIsNot() {
		Instant lastBeat = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		Timestamp at = Timestamp.from(lastBeat);
		this.jdbc.update("INSERT INTO BATCHYARD_NODE (NODE_ID, HOST_NAME, PID, ROLE, STARTED_AT, HEARTBEAT_AT)"
				+ " VALUES ('worker-died', 'host', 1, 'server', ?, ?)", at, at);
		RepositoryFixture fixture = new RepositoryFixture(this.jobRepository);
		JobExecution manager = fixture.execution(fixture.instance("referenceLoadJob",
				new JobParametersBuilder().addString("input", "references/partitioned.jsonl").toJobParameters()),
				BatchStatus.STARTED, null);
		// The manager's own node is alive: only the partitions are in question.
		this.node.claim(manager.getId());
		StepExecution lost = this.jobRepository.createStepExecution("loadReferenceRangeStep:partition0", manager);
		StepExecution alive = this.jobRepository.createStepExecution("loadReferenceRangeStep:partition1", manager);
		start(lost);
		start(alive);
		StepExecution waiting = this.jobRepository.createStepExecution("loadReferenceRangeStep:partition2", manager);
		this.jdbc.update("INSERT INTO BATCHYARD_NODE_PARTITION (STEP_EXECUTION_ID, JOB_EXECUTION_ID, NODE_ID,"
				+ " CLAIMED_AT) VALUES (?, ?, 'worker-died', ?)", lost.getId(), manager.getId(), at);
		this.node.claimPartition(alive);
		try {
			assertThat(this.lifecycle.recoverDeadPartitions()).containsExactly(lost.getId());

			StepExecution recovered = this.jobRepository.getStepExecution(lost.getId());
			assertThat(recovered.getStatus()).isEqualTo(BatchStatus.FAILED);
			assertThat(recovered.getEndTime()).isNotNull();
			assertThat(recovered.getExitStatus().getExitDescription()).isEqualTo("runner node worker-died stopped "
					+ "heart-beating at " + lastBeat + "; recovered by " + this.node.id());
			assertThat(this.jdbc.queryForObject(
					"SELECT RECOVERED_BY FROM BATCHYARD_NODE_PARTITION WHERE STEP_EXECUTION_ID = ?", String.class,
					lost.getId()))
				.isEqualTo(this.node.id());
			assertThat(this.jobRepository.getStepExecution(alive.getId()).getStatus()).isEqualTo(BatchStatus.STARTED);
			assertThat(this.jobRepository.getStepExecution(waiting.getId()).getStatus())
				.isEqualTo(BatchStatus.STARTING);
			assertThat(this.jobRepository.getJobExecution(manager.getId()).getStatus()).isEqualTo(BatchStatus.STARTED);
			RunnerNode.ExecutionNodes nodes = this.node.nodesOf(manager.getId());
			assertThat(nodes.node()).isEqualTo(this.node.id());
			assertThat(nodes.partitions()).containsExactly(entry(lost.getId(), "worker-died"),
					entry(alive.getId(), this.node.id()));
			assertThat(nodes.of(lost.getId())).isEqualTo("worker-died");
			assertThat(nodes.of(waiting.getId())).as("not claimed: the execution's node").isEqualTo(this.node.id());
			// Recovered once: the next heartbeat finds nothing more to do.
			assertThat(this.lifecycle.recoverDeadPartitions()).isEmpty();
		}
		finally {
			this.repositoryUtils.removeJobExecutions();
			this.jdbc.update("DELETE FROM BATCHYARD_NODE WHERE NODE_ID = 'worker-died'");
		}
	}

	// Returns nothing: the Spring Batch test listeners take a method of the test class
	// returning a StepExecution for the step scope's factory.
	private void start(StepExecution partition) {
		partition.setStatus(BatchStatus.STARTED);
		partition.setStartTime(java.time.LocalDateTime.now());
		this.jobRepository.update(partition);
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
