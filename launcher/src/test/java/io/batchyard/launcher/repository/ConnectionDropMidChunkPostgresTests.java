package io.batchyard.launcher.repository;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.PostgresTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every connection of the application terminated ({@code pg_terminate_backend}, as a
 * failover or an administrator does) in the middle of a chunk, on the application's pool,
 * transaction manager and job repository: the step and the job end {@code FAILED} and a
 * restart completes with every row written once. Before, the save of the failed step's
 * metadata borrowed another of the dropped connections (Hikari does not validate one used
 * in the last 500 ms) and the step and job ended {@code UNKNOWN}, which can be neither
 * recovered nor restarted (crash campaign, finding 2).
 */
@BatchyardTest
@PostgresTest
class ConnectionDropMidChunkPostgresTests {

	private static final int ITEMS = 40;

	private static final int CHUNK = 5;

	/** Opens the fourth chunk: three chunks (15 rows) commit before the drop. */
	private static final long DROPPED_IN = 16;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcTemplate jdbc;

	private final AtomicBoolean dropOnce = new AtomicBoolean();

	@BeforeEach
	void tables() {
		this.jdbc.execute("CREATE TABLE drop_source (id BIGINT PRIMARY KEY)");
		this.jdbc.execute("CREATE TABLE drop_target (id BIGINT NOT NULL)");
		this.jdbc.batchUpdate("INSERT INTO drop_source VALUES (?)",
				LongStream.rangeClosed(1, ITEMS).mapToObj((id) -> new Object[] { id }).toList());
	}

	@AfterEach
	void dropTables() throws SQLException {
		// Whatever a test left of the dropped connections, the next one starts on new
		// ones.
		this.dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
		this.jdbc.execute("DROP TABLE drop_source");
		this.jdbc.execute("DROP TABLE drop_target");
	}

	@Test
	void everyConnectionDroppedMidChunkFailsTheStepAndTheRestartCompletesWithExactRows() throws Exception {
		JobParameters parameters = new JobParametersBuilder().addString("run", "drop").toJobParameters();
		JobInstance instance = this.jobRepository.createJobInstance("connectionDropJob", parameters);
		this.dropOnce.set(true);

		JobExecution first = run(instance, parameters).execution();

		assertThat(this.dropOnce).as("the connections were dropped").isFalse();
		StepExecution failedStep = first.getStepExecutions().iterator().next();
		assertThat(failedStep.getStatus()).as("step status in memory").isEqualTo(BatchStatus.FAILED);
		assertThat(first.getStatus()).as("job status in memory").isEqualTo(BatchStatus.FAILED);
		JobExecution stored = this.jobRepository.getJobExecution(first.getId());
		assertThat(stored.getStatus()).as("stored job status").isEqualTo(BatchStatus.FAILED);
		assertThat(stored.getEndTime()).isNotNull();
		StepExecution storedStep = this.jobRepository.getStepExecution(failedStep.getId());
		assertThat(storedStep.getStatus()).as("stored step status").isEqualTo(BatchStatus.FAILED);
		assertThat(storedStep.getWriteCount()).isEqualTo(15);
		assertThat(storedStep.getCommitCount()).isEqualTo(3);
		assertThat(storedStep.getExecutionContext().getInt("dropSource.read.count")).isEqualTo(15);
		assertThat(targetIds()).containsExactlyElementsOf(ids(1, 15));

		JobExecution restart = run(instance, parameters).execution();

		assertThat(restart.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		StepExecution resumed = restart.getStepExecutions().iterator().next();
		assertThat(resumed.getReadCount()).isEqualTo(25);
		assertThat(resumed.getWriteCount()).isEqualTo(25);
		assertThat(targetIds()).as("every row once").containsExactlyElementsOf(ids(1, ITEMS));
	}

	@Test
	void aSaveOfStepMetadataOnADroppedConnectionIsMadeOnceMoreOnANewOne() throws Exception {
		JobParameters parameters = new JobParametersBuilder().addString("run", "save").toJobParameters();
		JobInstance instance = this.jobRepository.createJobInstance("connectionDropJob", parameters);
		JobExecution execution = this.jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
		StepExecution step = this.jobRepository.createStepExecution("copyStep", execution);
		int version = step.getVersion();
		List<Connection> held = dropEveryConnection();
		for (Connection connection : held) {
			connection.close();
		}
		step.setStatus(BatchStatus.FAILED);
		step.setWriteCount(7);

		// Before: DataAccessResourceFailureException (terminating connection due to
		// administrator command), and Spring Batch would mark the step UNKNOWN.
		this.jobRepository.update(step);

		assertThat(step.getVersion()).as("one update").isEqualTo(version + 1);
		StepExecution stored = this.jobRepository.getStepExecution(step.getId());
		assertThat(stored.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(stored.getWriteCount()).isEqualTo(7);
		assertThat(stored.getVersion()).isEqualTo(version + 1);
	}

	// Not a method returning a JobExecution: @SpringBatchTest's scope listeners would
	// call
	// it to make the test's job context.
	private Run run(JobInstance instance, JobParameters parameters) throws Exception {
		JobExecution execution = this.jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
		job().execute(execution);
		return new Run(execution);
	}

	private record Run(JobExecution execution) {

	}

	private Job job() throws Exception {
		JdbcPagingItemReader<Long> reader = new JdbcPagingItemReaderBuilder<Long>().name("dropSource")
			.dataSource(this.dataSource)
			.selectClause("id")
			.fromClause("drop_source")
			.sortKeys(Map.of("id", Order.ASCENDING))
			.pageSize(CHUNK)
			.rowMapper((rs, rowNum) -> rs.getLong("id"))
			.build();
		reader.afterPropertiesSet();
		ItemWriter<Long> writer = this::write;
		return new JobBuilder("connectionDropJob", this.jobRepository)
			.start(new StepBuilder("copyStep", this.jobRepository).<Long, Long>chunk(CHUNK)
				.transactionManager(this.transactionManager)
				.reader(reader)
				.writer(writer)
				.build())
			.build();
	}

	private void write(Chunk<? extends Long> chunk) throws SQLException {
		List<Connection> held = List.of();
		if (chunk.getItems().contains(DROPPED_IN) && this.dropOnce.compareAndSet(true, false)) {
			held = dropEveryConnection();
		}
		try {
			this.jdbc.batchUpdate("INSERT INTO drop_target VALUES (?)",
					chunk.getItems().stream().map((id) -> new Object[] { id }).toList());
		}
		finally {
			// Back in the pool just before the chunk fails, as a busy application's
			// connections are: used a moment ago, so Hikari hands them out again without
			// validating them (its aliveBypassWindowMs, 500 ms).
			for (Connection connection : held) {
				connection.close();
			}
		}
	}

	/**
	 * As a failover leaves the pool: every connection of the application, the chunk's and
	 * the others (held here until the chunk fails), is dead.
	 */
	private List<Connection> dropEveryConnection() throws SQLException {
		HikariDataSource pool = this.dataSource.unwrap(HikariDataSource.class);
		List<Connection> held = new ArrayList<>();
		for (int i = 1; i < pool.getMaximumPoolSize(); i++) {
			held.add(pool.getConnection());
		}
		try (Connection admin = DriverManager.getConnection(pool.getJdbcUrl(), "postgres", "postgres");
				Statement statement = admin.createStatement();
				// PostgreSQL 14: each call waits (up to 5 s) until its backend has
				// exited.
				ResultSet rs = statement.executeQuery("SELECT COUNT(*), bool_and(pg_terminate_backend(pid, 5000))"
						+ " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
			rs.next();
			assertThat(rs.getInt(1)).as("the application's backends").isGreaterThanOrEqualTo(pool.getMaximumPoolSize());
			assertThat(rs.getBoolean(2)).as("every backend terminated").isTrue();
		}
		return held;
	}

	private List<Long> targetIds() {
		return this.jdbc.queryForList("SELECT id FROM drop_target ORDER BY id", Long.class);
	}

	private static List<Long> ids(long from, long to) {
		return LongStream.rangeClosed(from, to).boxed().toList();
	}

}
