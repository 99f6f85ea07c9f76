package io.batchyard.launcher.dashboard.executions;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import io.batchyard.launcher.BatchyardApplication;
import io.batchyard.test.EmbeddedPostgresServer;
import org.flywaydb.core.Flyway;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The job page, the jobs page and the home page rendered whole by the application, on a
 * PostgreSQL database seeded with a given number of executions of one job (see
 * {@link ExecutionsPageBenchmark}).
 */
final class JobPagesBenchmark {

	private static final String JOB = "repositoryPurgeJob";

	private static final int WARM_UP = 10;

	private JobPagesBenchmark() {
	}

	static void run(int[] sizes, int runs) throws Exception {
		Map<Integer, Map<String, double[]>> results = new LinkedHashMap<>();
		for (int size : sizes) {
			results.put(size, measure(size, runs));
		}
		System.out.printf(Locale.ROOT, "%nWhole pages (MockMvc on the running application, PostgreSQL), %d runs each"
				+ " after %d to warm up, milliseconds%n", runs, WARM_UP);
		System.out.printf(Locale.ROOT, "%-34s", "page");
		for (int size : sizes) {
			System.out.printf(Locale.ROOT, " %12s %12s %7s", String.format(Locale.ROOT, "p50 @%,d", size),
					String.format(Locale.ROOT, "p95 @%,d", size), "KB");
		}
		System.out.println();
		for (String page : results.get(sizes[0]).keySet()) {
			System.out.printf(Locale.ROOT, "%-34s", page);
			for (int size : sizes) {
				double[] figures = results.get(size).get(page);
				System.out.printf(Locale.ROOT, " %12.1f %12.1f %7.0f", figures[0], figures[1], figures[2] / 1024);
			}
			System.out.println();
		}
		System.out.println("(executions of " + JOB + " one every 5 minutes up to now: the 7-day window holds 2,016 of"
				+ " them at 100,000, the chart draws the newest 1,000 of the window)");
	}

	private static Map<String, double[]> measure(int executions, int runs) throws Exception {
		String url = EmbeddedPostgresServer.newDatabaseUrl();
		DataSource dataSource = new DriverManagerDataSource(url, "postgres", "postgres");
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/postgresql").load().migrate();
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		long seeding = System.nanoTime();
		seed(jdbc, executions);
		jdbc.execute("VACUUM ANALYZE");
		System.out.printf(Locale.ROOT, "Seeded %,d executions of %s in %.1f s%n", executions, JOB,
				(System.nanoTime() - seeding) / 1e9);
		Map<String, double[]> figures = new LinkedHashMap<>();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BatchyardApplication.class).run(
				"--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
				"--spring.datasource.password=postgres", "--server.port=0", "--server.address=127.0.0.1",
				"--batchyard.runner.heartbeat-interval=1h", "--batchyard.runner.heartbeat-timeout=1h",
				"--logging.level.root=WARN")) {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context)
				.apply(springSecurity())
				.build();
			Map<String, String> pages = new LinkedHashMap<>();
			pages.put("/jobs/" + JOB + " (7 days)", "/jobs/" + JOB);
			pages.put("/jobs/" + JOB + "?window=30d", "/jobs/" + JOB + "?window=30d");
			pages.put("/jobs", "/jobs");
			pages.put("/ (needs attention)", "/");
			for (Map.Entry<String, String> page : pages.entrySet()) {
				figures.put(page.getKey(), time(mvc, page.getValue(), runs));
			}
			String jobPage = render(mvc, "/jobs/" + JOB);
			String home = render(mvc, "/");
			System.out.printf(Locale.ROOT,
					"  %,d executions: the job page charts %s points; the home page lists %d" + " entries%n",
					executions, between(jobPage, "data-points=\"", "\""), home.split("<li data-").length - 1);
		}
		return figures;
	}

	private static double[] time(MockMvc mvc, String path, int runs) throws Exception {
		for (int i = 0; i < WARM_UP; i++) {
			render(mvc, path);
		}
		List<Double> millis = new ArrayList<>();
		int bytes = 0;
		for (int i = 0; i < runs; i++) {
			long start = System.nanoTime();
			bytes = render(mvc, path).length();
			millis.add((System.nanoTime() - start) / 1e6);
		}
		double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return new double[] { ExecutionsPageBenchmark.percentile(sorted, 50),
				ExecutionsPageBenchmark.percentile(sorted, 95), bytes };
	}

	private static String render(MockMvc mvc, String path) throws Exception {
		MvcResult result = mvc.perform(get(path).with(user("bench").roles("VIEWER"))).andReturn();
		if (result.getResponse().getStatus() != 200) {
			throw new IllegalStateException(path + " answered " + result.getResponse().getStatus());
		}
		return result.getResponse().getContentAsString();
	}

	/**
	 * One instance and execution per five minutes up to now, each with its parameter and
	 * one step; 1 in 50 FAILED, 1 in 97 STOPPED. Three more run on a live node, two on a
	 * node that stopped heart-beating; the last failures have automatic restarts due
	 * tomorrow.
	 */
	private static void seed(JdbcTemplate jdbc, int executions) {
		Timestamp now = Timestamp.valueOf(LocalDateTime.now());
		jdbc.update("INSERT INTO BATCH_JOB_INSTANCE (JOB_INSTANCE_ID, VERSION, JOB_NAME, JOB_KEY)"
				+ " SELECT G, 0, ?, MD5(G::TEXT) FROM GENERATE_SERIES(1, ?) G", JOB, executions + 5);
		jdbc.update("INSERT INTO BATCH_JOB_EXECUTION (JOB_EXECUTION_ID, VERSION, JOB_INSTANCE_ID, CREATE_TIME,"
				+ " START_TIME, END_TIME, STATUS, EXIT_CODE, EXIT_MESSAGE, LAST_UPDATED)"
				+ " SELECT G, 2, G, E - D, E - D, E, S, S, CASE WHEN S = 'FAILED' THEN 'java.io.IOException: reset'"
				+ " ELSE '' END, E FROM (SELECT G, ?::TIMESTAMP - (? - G) * INTERVAL '5 minutes' E,"
				+ " (60 + G % 120) * INTERVAL '1 second' D, CASE WHEN G % 50 = 0 THEN 'FAILED'"
				+ " WHEN G % 97 = 0 THEN 'STOPPED' ELSE 'COMPLETED' END S FROM GENERATE_SERIES(1, ?) G) X", now,
				executions, executions);
		jdbc.update("INSERT INTO BATCH_JOB_EXECUTION (JOB_EXECUTION_ID, VERSION, JOB_INSTANCE_ID, CREATE_TIME,"
				+ " START_TIME, STATUS, EXIT_CODE, EXIT_MESSAGE, LAST_UPDATED) SELECT G, 1, G, ?::TIMESTAMP"
				+ " - INTERVAL '1 minute', ?::TIMESTAMP - INTERVAL '1 minute', 'STARTED', 'EXECUTING', '', ?"
				+ " FROM GENERATE_SERIES(?, ?) G", now, now, now, executions + 1, executions + 5);
		jdbc.update("INSERT INTO BATCH_JOB_EXECUTION_PARAMS (JOB_EXECUTION_ID, PARAMETER_NAME, PARAMETER_TYPE,"
				+ " PARAMETER_VALUE, IDENTIFYING) SELECT G, 'asOf', 'java.lang.String', 'as-of-' || G, 'Y'"
				+ " FROM GENERATE_SERIES(1, ?) G", executions + 5);
		jdbc.update("INSERT INTO BATCH_STEP_EXECUTION (STEP_EXECUTION_ID, VERSION, STEP_NAME, JOB_EXECUTION_ID,"
				+ " CREATE_TIME, START_TIME, END_TIME, STATUS, COMMIT_COUNT, READ_COUNT, FILTER_COUNT, WRITE_COUNT,"
				+ " READ_SKIP_COUNT, WRITE_SKIP_COUNT, PROCESS_SKIP_COUNT, ROLLBACK_COUNT, EXIT_CODE, EXIT_MESSAGE,"
				+ " LAST_UPDATED) SELECT E.JOB_EXECUTION_ID, 2, 'purgeExecutionsStep', E.JOB_EXECUTION_ID,"
				+ " E.CREATE_TIME, E.START_TIME, E.END_TIME, E.STATUS, 10, 1000 + E.JOB_EXECUTION_ID % 500, 0, 1000,"
				+ " 0, 0, 0, 0, E.EXIT_CODE, '', COALESCE(E.END_TIME, E.START_TIME) FROM BATCH_JOB_EXECUTION E");
		for (String sequence : List.of("BATCH_JOB_INSTANCE_SEQ", "BATCH_JOB_EXECUTION_SEQ",
				"BATCH_STEP_EXECUTION_SEQ")) {
			jdbc.execute("SELECT SETVAL('" + sequence + "', " + (executions + 10) + ")");
		}
		Timestamp instant = Timestamp.from(Instant.now());
		jdbc.update(
				"INSERT INTO BATCHYARD_NODE (NODE_ID, HOST_NAME, PID, ROLE, STARTED_AT, HEARTBEAT_AT) VALUES"
						+ " ('bench-live', 'here', 1, 'server', ?, ?), ('bench-silent', 'there', 2, 'server', ?, ?)",
				instant, instant, Timestamp.from(Instant.now().minusSeconds(86_400)),
				Timestamp.from(Instant.now().minusSeconds(7_200)));
		jdbc.update(
				"INSERT INTO BATCHYARD_NODE_EXECUTION (JOB_EXECUTION_ID, NODE_ID, CLAIMED_AT) SELECT G,"
						+ " CASE WHEN G > ? THEN 'bench-silent' ELSE 'bench-live' END, ? FROM GENERATE_SERIES(?, ?) G",
				executions + 3, instant, executions + 1, executions + 5);
		jdbc.update("INSERT INTO BATCHYARD_AUTO_RESTART (FAILED_EXECUTION_ID, JOB_INSTANCE_ID, JOB_NAME, CATEGORY,"
				+ " ATTEMPT, MAX_ATTEMPTS, STATE, DUE_AT, CREATED_AT) SELECT JOB_EXECUTION_ID, JOB_INSTANCE_ID, ?,"
				+ " 'TRANSIENT', 1, 3, 'PENDING', ?, ? FROM BATCH_JOB_EXECUTION WHERE STATUS = 'FAILED'"
				+ " ORDER BY JOB_EXECUTION_ID DESC LIMIT 3", JOB, Timestamp.from(Instant.now().plusSeconds(86_400)),
				instant);
	}

	private static String between(String text, String start, String end) {
		int from = text.indexOf(start);
		if (from < 0) {
			return "no";
		}
		from += start.length();
		return text.substring(from, text.indexOf(end, from));
	}

}
