package io.batchyard.jobs.enhancement;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.batchyard.readers.blob.BlobStore;
import io.batchyard.test.S3ProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Requests, claims, results and {@code enhancementLeaseExpiryJob} on one database (the
 * subclasses), blobs in S3Proxy.
 */
@SpringBootTest(classes = EnhancementTestApplication.class)
@SpringBatchTest
abstract class EnhancementLeaseExpiryJobTests {

	static final String BUCKET = "leases-" + UUID.randomUUID().toString().substring(0, 8);

	static final UUID R1 = UUID.fromString("10000000-0000-0000-0000-000000000001");

	static final UUID R2 = UUID.fromString("10000000-0000-0000-0000-000000000002");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("batchyard.jobs.enhancement-import.chunk-size", () -> "1");
		S3ProxyServer.registerStorage(registry, "batchyard.enhancements.storage", BUCKET);
	}

	@Autowired
	JobOperatorTestUtils jobUtils;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@Autowired
	Job enhancementLeaseExpiryJob;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	BlobStore enhancementBlobStore;

	EnhancementFixture fixture;

	RobotBatches robots;

	EnhancementRequests requests;

	@BeforeAll
	static void bucket() {
		try (var s3 = S3ProxyServer.newClient()) {
			if (s3.listBuckets().buckets().stream().noneMatch((bucket) -> bucket.name().equals(BUCKET))) {
				S3ProxyServer.createBucket(BUCKET);
			}
		}
	}

	/** Fails the update of this pending enhancement, in the database itself. */
	abstract void injectFault(UUID pendingId);

	abstract void removeFault();

	@BeforeEach
	void seed() {
		this.jobUtils.setJob(this.enhancementLeaseExpiryJob);
		this.fixture = new EnhancementFixture(this.jdbc);
		this.fixture.clear();
		this.fixture.references(List.of(R1, R2));
		TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);
		this.robots = new RobotBatches(this.jdbc, transactions, this.enhancementBlobStore, JsonMapper.shared(),
				Clock.systemUTC());
		this.requests = new EnhancementRequests(this.jdbc, transactions, Clock.systemUTC());
	}

	@AfterEach
	void cleanUp() {
		removeFault();
		this.repositoryUtils.removeJobExecutions();
		this.fixture.clear();
	}

	/** Runs the job; answers how many leases it expired. */
	long expire(Instant asOf) throws Exception {
		JobExecution execution = this.jobUtils
			.startJob(new JobParametersBuilder().addString("asOf", asOf.toString()).toJobParameters());
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		return execution.getStepExecutions().iterator().next().getWriteCount();
	}

	@Test
	void aClaimWritesTheReferencesAndMovesTheRequestToProcessing() {
		UUID request = this.requests.create("robot-1", List.of(R2, R1), "test").id();
		assertThat(this.requests.find(request).orElseThrow().status()).isEqualTo(RequestStatus.RECEIVED);
		assertThat(this.requests.find(request).orElseThrow().referenceIds()).containsExactly(R2, R1);

		EnhancementBatches.Batch batch = this.robots.claim("robot-1", 1, Duration.ofMinutes(10)).orElseThrow();
		assertThat(batch.status()).isEqualTo("processing");
		String references = new String(this.enhancementBlobStore.read(batch.referenceDataKey()),
				StandardCharsets.UTF_8);
		assertThat(references).isEqualTo("{\"id\":\"" + R2 + "\",\"visibility\":\"public\",\"identifiers\":"
				+ "[{\"identifier\":\"10.1000/182\",\"identifier_type\":\"doi\"}],\"enhancements\":[]}\n");
		assertThat(this.requests.find(request).orElseThrow().status()).isEqualTo(RequestStatus.PROCESSING);
		assertThat(this.robots.claim("robot-2", 10, Duration.ofMinutes(10))).isEmpty();
		assertThat(this.robots.claim("robot-1", 10, Duration.ofMinutes(10))).isPresent();
		assertThat(this.robots.claim("robot-1", 10, Duration.ofMinutes(10))).isEmpty();
	}

	@Test
	void aRobotErrorFailsTheWholeBatch() {
		UUID request = this.requests.create("robot-1", List.of(R1, R2), null).id();
		EnhancementBatches.Batch batch = this.robots.claim("robot-1", 10, Duration.ofMinutes(10)).orElseThrow();
		assertThat(this.robots.submit(batch.id(), "Model unavailable"))
			.isEqualTo(RobotBatches.Submitted.FAILED_BY_ROBOT);
		assertThat(this.robots.batches().find(batch.id()).orElseThrow().status()).isEqualTo("failed");
		assertThat(this.robots.batches().find(batch.id()).orElseThrow().error()).isEqualTo("Model unavailable");
		assertThat(this.requests.find(request).orElseThrow().status()).isEqualTo(RequestStatus.FAILED);
		assertThatExceptionOfType(RobotBatches.ResultRejectedException.class)
			.isThrownBy(() -> this.robots.submit(batch.id(), null))
			.withMessage("Cannot process results: batch " + batch.id() + " is failed.");
	}

	@Test
	void expiredLeasesAreRequeuedThreeTimesThenFailWithAReason() throws Exception {
		UUID request = this.requests.create("robot-1", List.of(R1), null).id();
		Instant now = Instant.now();
		for (int retry = 1; retry <= 4; retry++) {
			EnhancementBatches.Batch batch = this.robots.claim("robot-1", 10, Duration.ofMinutes(1)).orElseThrow();
			Instant asOf = now.plus(Duration.ofMinutes(2L * retry));
			assertThat(expire(asOf)).isEqualTo(1);
			assertThat(this.robots.batches().find(batch.id()).orElseThrow().status()).isEqualTo("expired");
			assertThatExceptionOfType(RobotBatches.ResultRejectedException.class)
				.isThrownBy(() -> this.robots.submit(batch.id(), null))
				.withMessage("Cannot process results: batch " + batch.id() + " is expired.");
			now = Instant.now();
		}
		assertThat(this.jdbc.queryForList("SELECT status, retry_depth, reason, retry_of IS NOT NULL AS retried"
				+ " FROM pending_enhancement ORDER BY retry_depth"))
			.extracting((row) -> row.get("status") + " " + row.get("retry_depth") + " " + row.get("reason") + " "
					+ row.get("retried"))
			.containsExactly("expired 0 Lease expired. false", "expired 1 Lease expired. true",
					"expired 2 Lease expired. true", "failed 3 Lease expired; exceeded retry limit of 3. true");
		assertThat(this.requests.find(request).orElseThrow().status()).isEqualTo(RequestStatus.FAILED);
		assertThat(this.robots.claim("robot-1", 10, Duration.ofMinutes(1))).isEmpty();
	}

	/**
	 * The claim and the expiry find their rows through the generated columns of V14, not
	 * the status: rows of every other status, older and with leases long expired, are
	 * left alone; pending rows are claimed oldest first; only processing rows expire.
	 */
	@Test
	void claimAndExpiryTakeOnlyRowsInTheirStatusWhateverTheirAge() throws Exception {
		Instant longAgo = Instant.now().minus(Duration.ofDays(3));
		String[] statuses = { "completed", "failed", "discarded", "importing", "expired", "processing", "pending",
				"pending" };
		java.util.Map<String, UUID> ids = new java.util.LinkedHashMap<>();
		for (int i = 0; i < statuses.length; i++) {
			UUID request = UUID.randomUUID();
			UUID id = new UUID(0xE0, i);
			ids.put(statuses[i] + i, id);
			java.sql.Timestamp created = java.sql.Timestamp.from(longAgo.plusSeconds((statuses.length - i) * 60L));
			this.jdbc.update(
					"INSERT INTO enhancement_request (id, robot_id, source, request_status, created_at,"
							+ " updated_at) VALUES (?, 'robot-1', 'test', 'processing', ?, ?)",
					request, created, created);
			this.jdbc
				.update("INSERT INTO pending_enhancement (id, enhancement_request_id, reference_id, robot_id, status,"
						+ " expires_at, retry_depth, created_at, updated_at) VALUES (?, ?, ?, 'robot-1', ?, ?, 0, ?, ?)",
						id, request, (i % 2 == 0) ? R1 : R2, statuses[i], java.sql.Timestamp.from(longAgo), created,
						created);
		}
		// Only the processing row's lease counts, however old the others' expires_at.
		assertThat(expire(Instant.now())).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("SELECT status FROM pending_enhancement WHERE id = ?", String.class,
				ids.get("processing5")))
			.isEqualTo("expired");
		// The two pending rows and the re-queued one, oldest first (the last row was
		// created first; the re-queued one is new).
		EnhancementBatches.Batch batch = this.robots.claim("robot-1", 2, Duration.ofMinutes(10)).orElseThrow();
		assertThat(this.jdbc.queryForList("SELECT id FROM pending_enhancement WHERE batch_id = ? ORDER BY id",
				UUID.class, batch.id()))
			.containsExactly(ids.get("pending6"), ids.get("pending7"));
		assertThat(this.jdbc.queryForList("SELECT status FROM pending_enhancement WHERE id IN (?, ?, ?, ?, ?)",
				String.class, ids.get("completed0"), ids.get("failed1"), ids.get("discarded2"), ids.get("importing3"),
				ids.get("expired4")))
			.containsExactlyInAnyOrder("completed", "failed", "discarded", "importing", "expired");
		assertThat(this.robots.claim("robot-1", 10, Duration.ofMinutes(10)).orElseThrow().id())
			.isNotEqualTo(batch.id());
		assertThat(this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM pending_enhancement WHERE status = 'pending'" + " OR queued_at IS NOT NULL",
				Integer.class))
			.isZero();
	}

	@Test
	void aLeaseNotYetExpiredIsLeftAlone() throws Exception {
		this.requests.create("robot-1", List.of(R1), null);
		EnhancementBatches.Batch batch = this.robots.claim("robot-1", 10, Duration.ofMinutes(10)).orElseThrow();
		assertThat(expire(Instant.now())).isZero();
		assertThat(this.robots.submit(batch.id(), null)).isEqualTo(RobotBatches.Submitted.IMPORTING);
		assertThat(this.robots.submit(batch.id(), null)).isEqualTo(RobotBatches.Submitted.ALREADY_IMPORTING);
	}

	@Test
	void aDatabaseFaultFailsTheRunAndTheRestartExpiresTheRestWithoutRequeueingTwice() throws Exception {
		this.requests.create("robot-1", List.of(R1, R2), null);
		this.robots.claim("robot-1", 1, Duration.ofMinutes(1)).orElseThrow();
		this.robots.claim("robot-1", 1, Duration.ofMinutes(1)).orElseThrow();
		UUID last = this.jdbc.queryForObject("SELECT id FROM pending_enhancement ORDER BY id DESC LIMIT 1", UUID.class);
		injectFault(last);
		org.springframework.batch.core.job.parameters.JobParameters parameters = new JobParametersBuilder()
			.addString("asOf", Instant.now().plus(Duration.ofMinutes(2)).toString())
			.toJobParameters();
		JobExecution failed = this.jobUtils.startJob(parameters);
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(failed.getExitStatus().getExitDescription()).startsWith("Database failure (after retries): ")
			.contains("Injected fault");
		assertThat(this.jdbc.queryForList("SELECT status FROM pending_enhancement ORDER BY id", String.class))
			.containsExactlyInAnyOrder("expired", "processing", "pending");

		removeFault();
		JobExecution restarted = this.jobUtils.getJobOperator().restart(failed);
		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(restarted.getStepExecutions().iterator().next().getWriteCount()).isEqualTo(1);
		assertThat(this.jdbc.queryForList("SELECT status || ' ' || retry_depth FROM pending_enhancement", String.class))
			.containsExactlyInAnyOrder("expired 0", "expired 0", "pending 1", "pending 1");
	}

}
