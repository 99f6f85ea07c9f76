package io.batchyard.launcher.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.batch.core.repository.dao.DefaultExecutionContextSerializer;

/**
 * A few thousand finished job executions of other jobs, as Spring Batch writes them
 * (instances, executions, parameters, step executions, execution contexts), and what a
 * purge must leave of them, worked out here from the purge rules rather than by the
 * purge's own query: an execution is purged when it ended before the cut-off and its
 * instance cannot be restarted any more (its last execution is neither FAILED nor
 * STOPPED); an instance goes with its last execution.
 */
public final class PurgeSeed {

	/** The purge's reference time: with the default 30-day retention ... */
	public static final String AS_OF = "2026-11-01T00:00:00Z";

	/** ... executions that ended before this instant are purged. */
	public static final Instant CUTOFF = Instant.parse(AS_OF).minus(Duration.ofDays(30));

	record Execution(long id, String status, LocalDateTime end, int parameters, int steps) {

		/** Rows of this execution other than the instance. */
		int rows() {
			return 1 + this.parameters + 1 + 2 * this.steps;
		}

	}

	record Instance(long id, String job, List<Execution> executions) {

		boolean restartable() {
			String last = this.executions.get(this.executions.size() - 1).status();
			return last.equals("FAILED") || last.equals("STOPPED");
		}

	}

	private final List<Instance> instances = new ArrayList<>();

	private final LocalDateTime cutoff = LocalDateTime.ofInstant(CUTOFF, ZoneId.systemDefault());

	private long nextExecutionId = 1;

	/**
	 * Builds the seed.
	 * @param size instances; about nine in ten of them leave a purgeable execution
	 */
	public PurgeSeed(int size) {
		String[] jobs = { "enhancementImportJob", "fixityCheckJob", "manifestExportJob" };
		for (int i = 0; i < size; i++) {
			String job = jobs[i % jobs.length];
			LocalDateTime old = this.cutoff.minusDays(1 + (i % 180)).minusMinutes(i % 997);
			LocalDateTime recent = this.cutoff.plusDays(1 + (i % 25)).plusMinutes(i % 997);
			List<Execution> executions = switch (i % 10) {
				// purged with their instance (one in fifty abandoned rather than
				// completed)
				case 0, 1, 2, 3, 4, 5 -> List.of(execution((i % 50 == 5) ? "ABANDONED" : "COMPLETED", old, i));
				// a failure, then a successful restart: both purged with the instance
				case 6 -> List.of(execution("FAILED", old.minusHours(2), i), execution("COMPLETED", old, i));
				// last execution FAILED: restartable, kept whole however old
				case 7 -> List.of(execution("STOPPED", old.minusHours(3), i), execution("FAILED", old, i));
				// old failure, recent success: the old execution goes, the instance stays
				case 8 -> List.of(execution("FAILED", old, i), execution("COMPLETED", recent, i));
				// recent
				default -> List.of(execution("COMPLETED", recent, i));
			};
			this.instances.add(new Instance(i + 1, job, executions));
		}
		// Edge cases: ended exactly at the cut-off (kept: only earlier ends are purged),
		// and an old STOPPED execution (restartable, kept).
		this.instances.add(new Instance(size + 1, "fixityCheckJob", List.of(execution("COMPLETED", this.cutoff, 1))));
		this.instances
			.add(new Instance(size + 2, "fixityCheckJob", List.of(execution("STOPPED", this.cutoff.minusDays(90), 2))));
	}

	private Execution execution(String status, LocalDateTime end, int variant) {
		return new Execution(this.nextExecutionId++, status, end, 1 + variant % 3, 1 + variant % 2);
	}

	/**
	 * Executions the purge deletes.
	 * @return their ids
	 */
	public Set<Long> purgedExecutions() {
		Set<Long> ids = new TreeSet<>();
		for (Instance instance : this.instances) {
			if (!instance.restartable()) {
				instance.executions()
					.stream()
					.filter((execution) -> execution.end().isBefore(this.cutoff))
					.forEach((execution) -> ids.add(execution.id()));
			}
		}
		return ids;
	}

	/**
	 * Executions left after a complete purge.
	 * @return their ids
	 */
	public Set<Long> survivingExecutions() {
		Set<Long> ids = allExecutions();
		ids.removeAll(purgedExecutions());
		return ids;
	}

	public Set<Long> allExecutions() {
		Set<Long> ids = new TreeSet<>();
		this.instances.forEach((instance) -> instance.executions().forEach((execution) -> ids.add(execution.id())));
		return ids;
	}

	/**
	 * The exit description of a complete purge of this seed.
	 * @return "Removed N job-repository rows: X job executions, Y job instances"
	 */
	public String expectedReport() {
		Set<Long> purged = purgedExecutions();
		long rows = 0;
		long instancesRemoved = 0;
		for (Instance instance : this.instances) {
			List<Execution> gone = instance.executions()
				.stream()
				.filter((execution) -> purged.contains(execution.id()))
				.toList();
			rows += gone.stream().mapToLong(Execution::rows).sum();
			if (gone.size() == instance.executions().size()) {
				instancesRemoved++;
				rows++;
			}
		}
		return "Removed " + rows + " job-repository rows: " + purged.size() + " job executions, " + instancesRemoved
				+ " job instances";
	}

	/**
	 * Rows each surviving execution must still have: its parameters, step executions and
	 * their contexts.
	 * @return parameters and step executions by execution id
	 */
	public Map<Long, List<Integer>> survivingShapes() {
		Set<Long> surviving = survivingExecutions();
		Map<Long, List<Integer>> shapes = new LinkedHashMap<>();
		this.instances.forEach((instance) -> instance.executions()
			.stream()
			.filter((execution) -> surviving.contains(execution.id()))
			.forEach((execution) -> shapes.put(execution.id(), List.of(execution.parameters(), execution.steps()))));
		return shapes;
	}

	/**
	 * Writes the seed into a migrated, empty repository and moves the id sequences past
	 * it.
	 * @param database the repository
	 */
	public void insert(RepositoryDatabase database) {
		try (Connection connection = database.connect()) {
			connection.setAutoCommit(false);
			insert(connection);
			connection.commit();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void insert(Connection connection) throws SQLException {
		long stepId = 1;
		try (PreparedStatement instance = connection.prepareStatement(
				"INSERT INTO BATCH_JOB_INSTANCE (JOB_INSTANCE_ID, VERSION, JOB_NAME, JOB_KEY) VALUES (?, 0, ?, ?)");
				PreparedStatement execution = connection.prepareStatement(
						"INSERT INTO BATCH_JOB_EXECUTION (JOB_EXECUTION_ID, VERSION, JOB_INSTANCE_ID, CREATE_TIME, START_TIME,"
								+ " END_TIME, STATUS, EXIT_CODE, EXIT_MESSAGE, LAST_UPDATED) VALUES (?, 2, ?, ?, ?, ?, ?, ?, '', ?)");
				PreparedStatement parameter = connection.prepareStatement(
						"INSERT INTO BATCH_JOB_EXECUTION_PARAMS (JOB_EXECUTION_ID, PARAMETER_NAME, PARAMETER_TYPE,"
								+ " PARAMETER_VALUE, IDENTIFYING) VALUES (?, ?, 'java.lang.String', ?, ?)");
				PreparedStatement jobContext = connection.prepareStatement(
						"INSERT INTO BATCH_JOB_EXECUTION_CONTEXT (JOB_EXECUTION_ID, SHORT_CONTEXT, SERIALIZED_CONTEXT) VALUES (?, ?, NULL)");
				PreparedStatement step = connection.prepareStatement(
						"INSERT INTO BATCH_STEP_EXECUTION (STEP_EXECUTION_ID, VERSION, STEP_NAME, JOB_EXECUTION_ID, CREATE_TIME,"
								+ " START_TIME, END_TIME, STATUS, COMMIT_COUNT, READ_COUNT, FILTER_COUNT, WRITE_COUNT,"
								+ " READ_SKIP_COUNT, WRITE_SKIP_COUNT, PROCESS_SKIP_COUNT, ROLLBACK_COUNT, EXIT_CODE,"
								+ " EXIT_MESSAGE, LAST_UPDATED) VALUES (?, 3, ?, ?, ?, ?, ?, ?, 2, 150, 0, 150, 0, 0, 0, 0, ?, '', ?)");
				PreparedStatement stepContext = connection.prepareStatement(
						"INSERT INTO BATCH_STEP_EXECUTION_CONTEXT (STEP_EXECUTION_ID, SHORT_CONTEXT, SERIALIZED_CONTEXT) VALUES (?, ?, NULL)")) {
			String jobContextValue = serialize(Map.of("batch.version", "6.0.6"));
			for (Instance each : this.instances) {
				instance.setLong(1, each.id());
				instance.setString(2, each.job());
				instance.setString(3, String.format("%032x", each.id()));
				instance.addBatch();
				for (Execution run : each.executions()) {
					LocalDateTime start = run.end().minusMinutes(7);
					execution.setLong(1, run.id());
					execution.setLong(2, each.id());
					execution.setObject(3, start.minusSeconds(1));
					execution.setObject(4, start);
					execution.setObject(5, run.end());
					execution.setString(6, run.status());
					execution.setString(7, run.status().equals("ABANDONED") ? "FAILED" : run.status());
					execution.setObject(8, run.end());
					execution.addBatch();
					for (int p = 0; p < run.parameters(); p++) {
						parameter.setLong(1, run.id());
						parameter.setString(2, (p == 0) ? "batchId" : "option" + p);
						parameter.setString(3, (p == 0) ? "batch-" + each.id() : "value-" + run.id());
						parameter.setString(4, (p == 0) ? "Y" : "N");
						parameter.addBatch();
					}
					jobContext.setLong(1, run.id());
					jobContext.setString(2, jobContextValue);
					jobContext.addBatch();
					for (int s = 0; s < run.steps(); s++) {
						boolean last = s == run.steps() - 1;
						String stepStatus = last ? stepStatus(run.status()) : "COMPLETED";
						step.setLong(1, stepId);
						step.setString(2, (s == 0) ? "readManifestStep" : "writeRecordsStep");
						step.setLong(3, run.id());
						step.setObject(4, start);
						step.setObject(5, start);
						step.setObject(6, run.end());
						step.setString(7, stepStatus);
						step.setString(8, stepStatus);
						step.setObject(9, run.end());
						step.addBatch();
						stepContext.setLong(1, stepId);
						stepContext.setString(2,
								serialize(Map.of("batch.stepType",
										"org.springframework.batch.core.step.item.ChunkOrientedStep",
										"reader.read.count", 150)));
						stepContext.addBatch();
						stepId++;
					}
				}
			}
			instance.executeBatch();
			execution.executeBatch();
			parameter.executeBatch();
			jobContext.executeBatch();
			step.executeBatch();
			stepContext.executeBatch();
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute("ALTER SEQUENCE BATCH_JOB_INSTANCE_SEQ RESTART WITH " + (this.instances.size() + 1));
			statement.execute("ALTER SEQUENCE BATCH_JOB_EXECUTION_SEQ RESTART WITH " + this.nextExecutionId);
			statement.execute("ALTER SEQUENCE BATCH_STEP_EXECUTION_SEQ RESTART WITH " + stepId);
		}
	}

	private static String stepStatus(String jobStatus) {
		return jobStatus.equals("ABANDONED") ? "FAILED" : jobStatus;
	}

	private static String serialize(Map<String, Object> context) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			new DefaultExecutionContextSerializer().serialize(context, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString(StandardCharsets.ISO_8859_1);
	}

}
