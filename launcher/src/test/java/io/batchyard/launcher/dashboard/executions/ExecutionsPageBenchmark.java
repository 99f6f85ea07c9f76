package io.batchyard.launcher.dashboard.executions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.batchyard.test.EmbeddedPostgresServer;
import org.flywaydb.core.Flyway;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dashboard's pages over many executions on a real PostgreSQL.
 * <ol>
 * <li>The executions page's queries over 100,000 executions: the first page unfiltered
 * and filtered by job, status and parameter value, each measured with the V5 indexes and,
 * in the same run, without them (the baseline).</li>
 * <li>The job page ({@code /jobs/repositoryPurgeJob}, 7 and 30 days), the jobs page and
 * the home page ({@code /}) rendered whole (controller, queries, SVG, Thymeleaf,
 * security) by the application started on a database holding 1,000 and then 100,000
 * executions of that one job, one every five minutes up to now, with running executions,
 * recent failures, pending restarts and a silent node for the home page to list.</li>
 * </ol>
 * Not a test: run it with <pre>
 * ./mvnw -B -o -pl launcher -am test-compile -DskipTests
 * ./mvnw -B -o -pl launcher exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.batchyard.launcher.dashboard.executions.ExecutionsPageBenchmark
 * </pre> Optional arguments: the number of executions (100000) and of timed runs per
 * query or page (50); {@code -Dbenchmark.part=executions} or {@code pages} runs one part.
 */
public final class ExecutionsPageBenchmark {

	private static final String[] V5_INDEXES = { "BATCH_JOB_EXECUTION_STATUS_ID_IX",
			"BATCH_JOB_EXECUTION_PARAMS_VALUE_IX", "BATCH_STEP_EXECUTION_NAME_ID_IX" };

	private ExecutionsPageBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int executions = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		int runs = (args.length > 1) ? Integer.parseInt(args[1]) : 50;
		String part = System.getProperty("benchmark.part", "all");
		if (!part.equals("pages")) {
			executionsPage(executions, runs);
		}
		if (!part.equals("executions")) {
			JobPagesBenchmark.run(new int[] { 1_000, executions }, runs);
		}
		System.exit(0);
	}

	private static void executionsPage(int executions, int runs) {
		DataSource dataSource = EmbeddedPostgresServer.newDatabase();
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/postgresql").load().migrate();
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		long seeding = System.nanoTime();
		seed(jdbc, executions);
		System.out.printf(Locale.ROOT, "Seeded %,d executions (%,d step executions, %,d parameters) in %.1f s%n",
				count(jdbc, "BATCH_JOB_EXECUTION"), count(jdbc, "BATCH_STEP_EXECUTION"),
				count(jdbc, "BATCH_JOB_EXECUTION_PARAMS"), (System.nanoTime() - seeding) / 1e9);

		ExecutionRows rows = new ExecutionRows(jdbc);
		Map<String, ExecutionRows.Filter> pages = new LinkedHashMap<>();
		pages.put("first page, no filter", new ExecutionRows.Filter(null, null, null, null, null));
		pages.put("job = importJob", new ExecutionRows.Filter("importJob", null, null, null, null));
		pages.put("status = FAILED", new ExecutionRows.Filter(null, "FAILED", null, null, null));
		pages.put("job + status = STOPPED", new ExecutionRows.Filter("exportJob", "STOPPED", null, null, null));
		pages.put("parameter value", new ExecutionRows.Filter(null, null, null, null, "batch-77777"));
		pages.put("parameter name=value", new ExecutionRows.Filter(null, null, null, null, "source=s3://in/12"));

		Map<String, double[]> indexed = measureAll(jdbc, rows, pages, runs);
		for (String index : V5_INDEXES) {
			jdbc.execute("DROP INDEX " + index);
		}
		Map<String, double[]> baseline = measureAll(jdbc, rows, pages, runs);

		System.out.printf(Locale.ROOT,
				"%nExecutions page (capped count + page of 25), %,d executions," + " %d runs each, milliseconds%n",
				executions, runs);
		System.out.printf(Locale.ROOT, "%-26s %9s %9s %9s %9s %8s%n", "query", "p50", "p95", "base p50", "base p95",
				"rows");
		for (String name : pages.keySet()) {
			double[] with = indexed.get(name);
			double[] without = baseline.get(name);
			System.out.printf(Locale.ROOT, "%-26s %9.1f %9.1f %9.1f %9.1f %8.0f%n", name, with[0], with[1], without[0],
					without[1], with[2]);
		}
		System.out.println("(base = the same queries in the same run after dropping the V5 indexes;"
				+ " rows = matching executions, counted up to " + (ExecutionRows.COUNT_LIMIT + 1) + ")");
		System.out.println("Plan of the first page:");
		jdbc.queryForList(
				"EXPLAIN ANALYZE SELECT E.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I"
						+ " ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID WHERE I.JOB_NAME = 'exportJob' AND E.STATUS = 'STOPPED'"
						+ " ORDER BY E.JOB_EXECUTION_ID DESC LIMIT 25",
				String.class)
			.forEach(System.out::println);
	}

	private static Map<String, double[]> measureAll(JdbcTemplate jdbc, ExecutionRows rows,
			Map<String, ExecutionRows.Filter> pages, int runs) {
		// Settle the bulk-inserted tables (visibility map, hint bits, statistics) so that
		// neither measurement pays for autovacuum running under it.
		jdbc.execute("VACUUM ANALYZE");
		Map<String, double[]> results = new LinkedHashMap<>();
		pages.forEach((name, filter) -> {
			Supplier<Long> page = () -> {
				return rows.find(filter, 0, 25).total();
			};
			for (int i = 0; i < 5; i++) {
				page.get();
			}
			List<Double> millis = new ArrayList<>();
			long total = 0;
			for (int i = 0; i < runs; i++) {
				long start = System.nanoTime();
				total = page.get();
				millis.add((System.nanoTime() - start) / 1e6);
			}
			double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			results.put(name, new double[] { percentile(sorted, 50), percentile(sorted, 95), total });
		});
		return results;
	}

	static double percentile(double[] sorted, int percent) {
		int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	/**
	 * One instance per execution, five jobs, two steps and two parameters each; mostly
	 * COMPLETED, some FAILED, STOPPED and ABANDONED, spread over a year.
	 */
	private static void seed(JdbcTemplate jdbc, int executions) {
		jdbc.update("INSERT INTO BATCH_JOB_INSTANCE (JOB_INSTANCE_ID, VERSION, JOB_NAME, JOB_KEY)"
				+ " SELECT G, 0, (ARRAY['importJob','exportJob','imageBatchJob','manifestJob','repositoryPurgeJob'])"
				+ "[1 + G % 5], MD5(G::TEXT) FROM GENERATE_SERIES(1, ?) G", executions);
		jdbc.update("INSERT INTO BATCH_JOB_EXECUTION (JOB_EXECUTION_ID, VERSION, JOB_INSTANCE_ID, CREATE_TIME,"
				+ " START_TIME, END_TIME, STATUS, EXIT_CODE, EXIT_MESSAGE, LAST_UPDATED)"
				+ " SELECT G, 2, G, TIMESTAMP '2025-11-23 00:00' + G * INTERVAL '5 minutes',"
				+ " TIMESTAMP '2025-11-23 00:00' + G * INTERVAL '5 minutes',"
				+ " TIMESTAMP '2025-11-23 00:01' + G * INTERVAL '5 minutes', S, S, '',"
				+ " TIMESTAMP '2025-11-23 00:01' + G * INTERVAL '5 minutes' FROM (SELECT G, CASE"
				+ " WHEN G % 50 = 0 THEN 'FAILED' WHEN G % 97 = 0 THEN 'STOPPED' WHEN G % 211 = 0 THEN 'ABANDONED'"
				+ " ELSE 'COMPLETED' END S FROM GENERATE_SERIES(1, ?) G) X", executions);
		jdbc.update("INSERT INTO BATCH_JOB_EXECUTION_PARAMS (JOB_EXECUTION_ID, PARAMETER_NAME, PARAMETER_TYPE,"
				+ " PARAMETER_VALUE, IDENTIFYING) SELECT G, 'batchId', 'java.lang.String', 'batch-' || G, 'Y'"
				+ " FROM GENERATE_SERIES(1, ?) G UNION ALL SELECT G, 'source', 'java.lang.String',"
				+ " 's3://in/' || (G % 1000), 'N' FROM GENERATE_SERIES(1, ?) G", executions, executions);
		jdbc.update("INSERT INTO BATCH_STEP_EXECUTION (STEP_EXECUTION_ID, VERSION, STEP_NAME, JOB_EXECUTION_ID,"
				+ " CREATE_TIME, START_TIME, END_TIME, STATUS, COMMIT_COUNT, READ_COUNT, FILTER_COUNT, WRITE_COUNT,"
				+ " READ_SKIP_COUNT, WRITE_SKIP_COUNT, PROCESS_SKIP_COUNT, ROLLBACK_COUNT, EXIT_CODE, EXIT_MESSAGE,"
				+ " LAST_UPDATED) SELECT E.JOB_EXECUTION_ID * 2 + K, 2, 'step' || K, E.JOB_EXECUTION_ID,"
				+ " E.CREATE_TIME, E.START_TIME, E.END_TIME, E.STATUS, 10, 1000, 0, 990, E.JOB_EXECUTION_ID % 3, 0, 0,"
				+ " 0, E.EXIT_CODE, '', E.END_TIME FROM BATCH_JOB_EXECUTION E CROSS JOIN (VALUES (0), (1)) V(K)");
		for (String sequence : Arrays.asList("BATCH_JOB_INSTANCE_SEQ", "BATCH_JOB_EXECUTION_SEQ",
				"BATCH_STEP_EXECUTION_SEQ")) {
			jdbc.execute("SELECT SETVAL('" + sequence + "', " + (executions * 2 + 10) + ")");
		}
	}

	private static long count(JdbcTemplate jdbc, String table) {
		Long count = jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
		return (count != null) ? count : 0;
	}

}
