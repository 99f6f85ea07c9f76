package io.batchyard.launcher.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.batchyard.test.EmbeddedPostgresServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A schedule firing every 10 seconds on two server nodes (processes of the built jar)
 * sharing one PostgreSQL: every fire time launches exactly one execution, with no gap,
 * while both nodes run and after one of them is killed at the moment it has recorded a
 * fire but not launched it. The moment is made deterministic by the test hook
 * {@code batchyard.scheduler.launch-delay}: both nodes wait 3 s between the ledger insert
 * and the launch, and the test kills the node that won a fire within that window. The
 * other node's sweep takes the fire over once the dead node's heartbeat expired (3 s
 * here) and launches it, once.
 */
class ScheduleFiresNodesIntegrationTests {

	private static final String SCHEDULE = "every-ten-seconds";

	private static final Duration PERIOD = Duration.ofSeconds(10);

	/** Fires launched while both nodes run, before the kill. */
	private static final int FIRES_BEFORE_KILL = 4;

	/** Fires launched by the survivor alone, after the one it took over. */
	private static final int FIRES_AFTER_KILL = 2;

	private static JdbcTemplate db;

	private static BatchyardProcess nodeA;

	private static BatchyardProcess nodeB;

	@BeforeAll
	static void startNodes(@TempDir Path directory) throws Exception {
		String url = EmbeddedPostgresServer.newDatabaseUrl();
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(url);
		dataSource.setUser("postgres");
		dataSource.setPassword("postgres");
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/postgresql").load().migrate();
		db = new JdbcTemplate(dataSource);
		String[] settings = { "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
				"--spring.datasource.password=postgres", "--batchyard.scheduler.enabled=true",
				"--batchyard.schedules.repository-purge.cron=-", "--batchyard.schedules.postingest-sweep.cron=-",
				"--batchyard.schedules.postingest-resend.cron=-", "--batchyard.schedules.image-batch-purge.cron=-",
				"--batchyard.schedules.enhancement-lease-expiry.cron=-",
				"--batchyard.schedules." + SCHEDULE + ".cron=*/10 * * * * *",
				"--batchyard.schedules." + SCHEDULE + ".job=repositoryPurgeJob",
				"--batchyard.scheduler.sweep-interval=1s",
				// The test hook: the window in which a node has recorded a fire and not
				// launched it, wide enough for the test to see it and kill the node.
				"--batchyard.scheduler.launch-delay=3s" };
		Files.createDirectories(directory.resolve("node-a"));
		Files.createDirectories(directory.resolve("node-b"));
		CompletableFuture<BatchyardProcess> a = CompletableFuture
			.supplyAsync(() -> BatchyardProcess.start(directory.resolve("node-a"), "schedule-node-a", settings));
		CompletableFuture<BatchyardProcess> b = CompletableFuture
			.supplyAsync(() -> BatchyardProcess.start(directory.resolve("node-b"), "schedule-node-b", settings));
		try {
			nodeA = a.join();
		}
		finally {
			nodeB = b.join();
		}
	}

	@AfterAll
	static void stopNodes() {
		for (BatchyardProcess node : new BatchyardProcess[] { nodeA, nodeB }) {
			if (node != null) {
				node.close();
			}
		}
	}

	@Test
	void everyFireTimeLaunchesOnceAcrossTwoNodesAndSurvivesTheDeathOfTheNodeThatRecordedIt() {
		long started = System.nanoTime();
		String idA = nodeId(nodeA);
		String idB = nodeId(nodeB);
		Instant bothUp = Instant.now();

		await("fires launched while both nodes run").atMost(PERIOD.multipliedBy(FIRES_BEFORE_KILL + 4))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> launchedSince(bothUp) >= FIRES_BEFORE_KILL);

		// The next fire: whichever node wins it has recorded it and waits 3 s (the hook)
		// before launching it. Kill that node in the window.
		Map<String, Object> claimed = await("a node holding the next fire unlaunched").atMost(PERIOD.plusSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(ScheduleFiresNodesIntegrationTests::unlaunchedClaim, (row) -> row != null);
		Instant killedFire = ((Timestamp) claimed.get("FIRE_TIME")).toInstant();
		String dyingId = (String) claimed.get("NODE_ID");
		BatchyardProcess dying = dyingId.equals(idA) ? nodeA : nodeB;
		BatchyardProcess survivor = (dying == nodeA) ? nodeB : nodeA;
		String survivorId = (survivor == nodeA) ? idA : idB;
		assertThat(dyingId).isIn(idA, idB);

		assertThat(dying.kill()).as("exit value of kill -9").isEqualTo(BatchyardProcess.KILLED);

		// The kill came between the ledger insert and the launch.
		assertThat(fire(killedFire).get("STATE")).isEqualTo("CLAIMED");
		assertThat(executions(killedFire)).isEmpty();

		await("the survivor launching the fire of " + killedFire).atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> "LAUNCHED".equals(fire(killedFire).get("STATE")));
		Map<String, Object> takenOver = fire(killedFire);
		assertThat(takenOver.get("NODE_ID")).isEqualTo(survivorId);
		assertThat(((Number) takenOver.get("ATTEMPTS")).intValue()).isEqualTo(2);
		assertThat((String) takenOver.get("OUTCOME")).contains("recorded by node " + dyingId);
		assertThat(executions(killedFire)).containsExactly(((Number) takenOver.get("JOB_EXECUTION_ID")).longValue());
		assertThat(survivor.output())
			.contains("Schedule '" + SCHEDULE + "' for " + killedFire + " was recorded by node " + dyingId
					+ ", which died or lost its database before launching it; node " + survivorId + " takes it over");

		await("fires launched by the survivor alone").atMost(PERIOD.multipliedBy(FIRES_AFTER_KILL + 3))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> launchedSince(killedFire.plusSeconds(1)) >= FIRES_AFTER_KILL);

		List<Map<String, Object>> fires = fires();
		List<Instant> fireTimes = fires.stream().map((row) -> ((Timestamp) row.get("FIRE_TIME")).toInstant()).toList();
		Instant first = fireTimes.get(0);
		Instant last = fireTimes.get(fireTimes.size() - 1);
		// No gap: every 10 s from the first fire to the last is in the ledger, once.
		List<Instant> expected = new ArrayList<>();
		for (Instant time = first; !time.isAfter(last); time = time.plus(PERIOD)) {
			expected.add(time);
		}
		assertThat(fireTimes).containsExactlyElementsOf(expected);
		assertThat(fireTimes).contains(killedFire);
		assertThat(last).isAfterOrEqualTo(killedFire.plus(PERIOD.multipliedBy(FIRES_AFTER_KILL)));
		// Each launched once: one execution per fire time, the one the ledger records.
		Map<String, Integer> byNode = new TreeMap<>();
		for (Map<String, Object> row : fires) {
			Instant fireTime = ((Timestamp) row.get("FIRE_TIME")).toInstant();
			if (fireTime.equals(last) && !"LAUNCHED".equals(row.get("STATE"))) {
				// The last fire may still be inside its node's launch delay.
				continue;
			}
			assertThat(row.get("STATE")).as("state of %s", fireTime).isEqualTo("LAUNCHED");
			long execution = ((Number) row.get("JOB_EXECUTION_ID")).longValue();
			assertThat(executions(fireTime)).as("executions of %s", fireTime).containsExactly(execution);
			String node = (String) row.get("NODE_ID");
			assertThat(node).isIn(idA, idB);
			if (fireTime.isAfter(killedFire)) {
				assertThat(node).as("node of %s, after the kill", fireTime).isEqualTo(survivorId);
			}
			byNode.merge(node.equals(idA) ? "A" : "B", 1, Integer::sum);
		}
		await("every launched fire completing").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> db.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE STATUS <> 'COMPLETED'",
					Integer.class) == 0);
		assertThat(db.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION", Integer.class)).isEqualTo(
				db.queryForObject("SELECT COUNT(DISTINCT JOB_INSTANCE_ID) FROM BATCH_JOB_EXECUTION", Integer.class));
		System.out.printf(
				"%d fire times %s..%s, every one launched once; launched by node %s; node %s killed"
						+ " holding %s; test took %d s after start-up%n",
				fireTimes.size(), first, last, byNode, (dying == nodeA) ? "A" : "B", killedFire,
				Duration.ofNanos(System.nanoTime() - started).toSeconds());
	}

	/** Fires launched whose fire time is after a moment. */
	private static int launchedSince(Instant since) {
		return db.queryForObject("SELECT COUNT(*) FROM BATCHYARD_SCHEDULE_FIRE WHERE SCHEDULE_NAME = ?"
				+ " AND STATE = 'LAUNCHED' AND FIRE_TIME > ?", Integer.class, SCHEDULE, Timestamp.from(since));
	}

	private static Map<String, Object> unlaunchedClaim() {
		List<Map<String, Object>> rows = db.queryForList("SELECT FIRE_TIME, NODE_ID FROM BATCHYARD_SCHEDULE_FIRE"
				+ " WHERE SCHEDULE_NAME = ? AND STATE = 'CLAIMED' AND JOB_EXECUTION_ID IS NULL"
				// Well inside the 3 s window, so that the kill lands before the launch.
				+ " AND CLAIMED_AT > CURRENT_TIMESTAMP - INTERVAL '1500 milliseconds' ORDER BY FIRE_TIME DESC",
				SCHEDULE);
		return rows.isEmpty() ? null : upperCase(rows.get(0));
	}

	private static List<Map<String, Object>> fires() {
		return db
			.queryForList("SELECT * FROM BATCHYARD_SCHEDULE_FIRE WHERE SCHEDULE_NAME = ? ORDER BY FIRE_TIME", SCHEDULE)
			.stream()
			.map(ScheduleFiresNodesIntegrationTests::upperCase)
			.collect(Collectors.toList());
	}

	private static Map<String, Object> fire(Instant fireTime) {
		return upperCase(
				db.queryForMap("SELECT * FROM BATCHYARD_SCHEDULE_FIRE WHERE SCHEDULE_NAME = ?" + " AND FIRE_TIME = ?",
						SCHEDULE, Timestamp.from(fireTime)));
	}

	/** The executions whose identifying {@code fireTime} is this fire time. */
	private static List<Long> executions(Instant fireTime) {
		return db.queryForList(
				"SELECT JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION_PARAMS WHERE PARAMETER_NAME = 'fireTime'"
						+ " AND IDENTIFYING = 'Y' AND PARAMETER_VALUE = ? ORDER BY JOB_EXECUTION_ID",
				Long.class, fireTime.toString());
	}

	/** PostgreSQL folds unquoted names to lower case. */
	private static Map<String, Object> upperCase(Map<String, Object> row) {
		Map<String, Object> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		copy.putAll(row);
		return copy;
	}

	private static String nodeId(BatchyardProcess node) {
		return db.queryForObject("SELECT NODE_ID FROM BATCHYARD_NODE WHERE PID = ? ORDER BY STARTED_AT DESC"
				+ " FETCH FIRST 1 ROWS ONLY", String.class, node.pid());
	}

}
