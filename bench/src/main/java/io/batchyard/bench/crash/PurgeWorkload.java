package io.batchyard.bench.crash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.repository.dao.DefaultExecutionContextSerializer;

/**
 * {@code repositoryPurgeJob} on {@value #INSTANCES} finished instances of other jobs
 * written as Spring Batch writes them (as the launcher's {@code PurgeSeed}: purgeable,
 * restartable, recent, a failure then a success, an old failure with a recent success),
 * in chunks of {@value #CHUNK} with a pause before each. Run {@code n} has ids from
 * {@code base(n)} and an {@code asOf} {@code n} years before the baseline's, its seed
 * lying between: each purge only reaches its own seed, whatever earlier runs left.
 */
final class PurgeWorkload implements Workload {

	static final String JOB = "repositoryPurgeJob";

	private static final int INSTANCES = 500;

	private static final int CHUNK = 20;

	private static final Instant AS_OF = Instant.parse("2020-06-01T00:00:00Z");

	@Override
	public String job() {
		return JOB;
	}

	@Override
	public List<String> settings(Yard yard) {
		return List.of("--batchyard.housekeeping.chunk-size=" + CHUNK, "--batchyard.housekeeping.chunk-pause=20ms");
	}

	private static long base(int run) {
		return 10_000_000L + run * 100_000L;
	}

	private static Instant asOf(int run) {
		return AS_OF.minus(365L * run, ChronoUnit.DAYS);
	}

	@Override
	public void prepare(Yard yard, int run) {
		seed(yard, run);
	}

	@Override
	public Run launch(Node node, Yard yard, int run) {
		String asOf = asOf(run).toString();
		node.launch(JOB, "{\"asOf\":\"" + asOf + "\"}");
		return new Run(run, JOB, "asOf", asOf);
	}

	private void seed(Yard yard, int run) {
		LocalDateTime cutoff = LocalDateTime.ofInstant(asOf(run).minus(30, ChronoUnit.DAYS), ZoneId.systemDefault());
		long base = base(run);
		long executionId = base;
		long stepId = base;
		String jobContext = serialize(Map.of("batch.version", "6.0.6"));
		String stepContext = serialize(Map.of("reader.read.count", 150));
		try (Connection connection = yard.connect()) {
			connection.setAutoCommit(false);
			try (PreparedStatement instance = connection.prepareStatement(
					"INSERT INTO BATCH_JOB_INSTANCE (JOB_INSTANCE_ID, VERSION, JOB_NAME, JOB_KEY) VALUES (?, 0, ?, ?)");
					PreparedStatement execution = connection.prepareStatement(
							"INSERT INTO BATCH_JOB_EXECUTION (JOB_EXECUTION_ID, VERSION, JOB_INSTANCE_ID, CREATE_TIME,"
									+ " START_TIME, END_TIME, STATUS, EXIT_CODE, EXIT_MESSAGE, LAST_UPDATED)"
									+ " VALUES (?, 2, ?, ?, ?, ?, ?, ?, '', ?)");
					PreparedStatement parameter = connection.prepareStatement(
							"INSERT INTO BATCH_JOB_EXECUTION_PARAMS (JOB_EXECUTION_ID, PARAMETER_NAME, PARAMETER_TYPE,"
									+ " PARAMETER_VALUE, IDENTIFYING) VALUES (?, 'batchId', 'java.lang.String', ?, 'Y')");
					PreparedStatement context = connection.prepareStatement(
							"INSERT INTO BATCH_JOB_EXECUTION_CONTEXT (JOB_EXECUTION_ID, SHORT_CONTEXT) VALUES (?, ?)");
					PreparedStatement step = connection.prepareStatement(
							"INSERT INTO BATCH_STEP_EXECUTION (STEP_EXECUTION_ID, VERSION, STEP_NAME, JOB_EXECUTION_ID,"
									+ " CREATE_TIME, START_TIME, END_TIME, STATUS, COMMIT_COUNT, READ_COUNT, FILTER_COUNT,"
									+ " WRITE_COUNT, READ_SKIP_COUNT, WRITE_SKIP_COUNT, PROCESS_SKIP_COUNT, ROLLBACK_COUNT,"
									+ " EXIT_CODE, EXIT_MESSAGE, LAST_UPDATED)"
									+ " VALUES (?, 3, 'seedStep', ?, ?, ?, ?, ?, 2, 150, 0, 150, 0, 0, 0, 0, ?, '', ?)");
					PreparedStatement stepContextRow = connection.prepareStatement(
							"INSERT INTO BATCH_STEP_EXECUTION_CONTEXT (STEP_EXECUTION_ID, SHORT_CONTEXT) VALUES (?, ?)")) {
				for (int i = 0; i < INSTANCES; i++) {
					long instanceId = base + i;
					LocalDateTime old = cutoff.minusDays(1 + (i % 180)).minusMinutes(i % 997);
					LocalDateTime recent = cutoff.plusDays(1 + (i % 25)).plusMinutes(i % 997);
					List<Object[]> runs = new ArrayList<>();
					switch (i % 10) {
						case 0, 1, 2, 3, 4, 5 ->
							runs.add(new Object[] { (i % 50 == 5) ? "ABANDONED" : "COMPLETED", old });
						case 6 -> {
							runs.add(new Object[] { "FAILED", old.minusHours(2) });
							runs.add(new Object[] { "COMPLETED", old });
						}
						case 7 -> {
							runs.add(new Object[] { "STOPPED", old.minusHours(3) });
							runs.add(new Object[] { "FAILED", old });
						}
						case 8 -> {
							runs.add(new Object[] { "FAILED", old });
							runs.add(new Object[] { "COMPLETED", recent });
						}
						default -> runs.add(new Object[] { "COMPLETED", recent });
					}
					instance.setLong(1, instanceId);
					instance.setString(2, "seedJob" + (i % 3));
					instance.setString(3, String.format("%032x", instanceId));
					instance.addBatch();
					for (Object[] each : runs) {
						String status = (String) each[0];
						LocalDateTime end = (LocalDateTime) each[1];
						LocalDateTime start = end.minusMinutes(7);
						execution.setLong(1, executionId);
						execution.setLong(2, instanceId);
						execution.setObject(3, start);
						execution.setObject(4, start);
						execution.setObject(5, end);
						execution.setString(6, status);
						execution.setString(7, status.equals("ABANDONED") ? "FAILED" : status);
						execution.setObject(8, end);
						execution.addBatch();
						parameter.setLong(1, executionId);
						parameter.setString(2, "batch-" + i);
						parameter.addBatch();
						context.setLong(1, executionId);
						context.setString(2, jobContext);
						context.addBatch();
						for (int s = 0; s < 1 + i % 2; s++) {
							step.setLong(1, stepId);
							step.setLong(2, executionId);
							step.setObject(3, start);
							step.setObject(4, start);
							step.setObject(5, end);
							step.setString(6, status.equals("ABANDONED") ? "FAILED" : status);
							step.setString(7, status.equals("ABANDONED") ? "FAILED" : status);
							step.setObject(8, end);
							step.addBatch();
							stepContextRow.setLong(1, stepId);
							stepContextRow.setString(2, stepContext);
							stepContextRow.addBatch();
							stepId++;
						}
						executionId++;
					}
				}
				instance.executeBatch();
				execution.executeBatch();
				parameter.executeBatch();
				context.executeBatch();
				step.executeBatch();
				stepContextRow.executeBatch();
			}
			connection.commit();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Seeding run " + run + ": " + ex.getMessage(), ex);
		}
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

	@Override
	public EndState endState(Yard yard, Run run) {
		long base = base(run.number());
		long end = base + 100_000L;
		List<String> executions = Campaign.executions(yard, run);
		EndState state = new EndState();
		state.add(EndState.ROWS, yard.lines("SELECT 'instance', JOB_INSTANCE_ID - ?, JOB_NAME FROM BATCH_JOB_INSTANCE"
				+ " WHERE JOB_INSTANCE_ID >= ? AND JOB_INSTANCE_ID < ?", base, base, end));
		state.add(EndState.ROWS, yard
			.lines("SELECT 'execution', E.JOB_EXECUTION_ID - ?, E.JOB_INSTANCE_ID - ?, E.STATUS,"
					+ " (SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_PARAMS P WHERE P.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID),"
					+ " (SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_CONTEXT C WHERE C.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID)"
					+ " FROM BATCH_JOB_EXECUTION E WHERE E.JOB_EXECUTION_ID >= ? AND E.JOB_EXECUTION_ID < ?", base,
					base, base, end));
		state.add(EndState.ROWS, yard.lines("SELECT 'step', S.STEP_EXECUTION_ID - ?, S.JOB_EXECUTION_ID - ?,"
				+ " (SELECT COUNT(*) FROM BATCH_STEP_EXECUTION_CONTEXT C WHERE C.STEP_EXECUTION_ID = S.STEP_EXECUTION_ID)"
				+ " FROM BATCH_STEP_EXECUTION S WHERE S.STEP_EXECUTION_ID >= ? AND S.STEP_EXECUTION_ID < ?", base, base,
				base, end));
		// Rows the purge left without their parent anywhere in the repository.
		state.add(EndState.ROWS, yard.lines("SELECT 'orphan-params', COUNT(*) FROM BATCH_JOB_EXECUTION_PARAMS P"
				+ " WHERE NOT EXISTS (SELECT 1 FROM BATCH_JOB_EXECUTION E WHERE E.JOB_EXECUTION_ID = P.JOB_EXECUTION_ID)"));
		state
			.add(EndState.ROWS, yard.lines("SELECT 'orphan-step-contexts', COUNT(*) FROM BATCH_STEP_EXECUTION_CONTEXT C"
					+ " WHERE NOT EXISTS (SELECT 1 FROM BATCH_STEP_EXECUTION S WHERE S.STEP_EXECUTION_ID = C.STEP_EXECUTION_ID)"));
		state.add(EndState.COUNTS, Campaign.stepCounts(yard, String.join(",", executions)));
		state.add(EndState.REPORT, Campaign.lastExit(yard, executions));
		return state;
	}

	@Override
	public List<Fault> faults(Yard yard) {
		return yard.postgresql() ? List.of(Fault.DATABASE_CONNECTIONS_DROPPED) : List.of();
	}

}
