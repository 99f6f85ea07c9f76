package io.batchyard.launcher.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.batchyard.launcher.BatchyardApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line verbs, run in-process against an H2 file of their own, as
 * {@code java -jar batchyard.jar <verb> ...} runs them.
 */
@ExtendWith(OutputCaptureExtension.class)
class CommandLineTests {

	@TempDir
	Path directory;

	private String url;

	@BeforeEach
	void database() {
		this.url = "jdbc:h2:file:" + this.directory.resolve("cli").toAbsolutePath()
				+ ";MODE=PostgreSQL;AUTO_SERVER=TRUE;WRITE_DELAY=0";
	}

	@Test
	void startExitsZeroWhenTheExecutionCompletesAndRefusesADuplicate(CapturedOutput output) {
		assertThat(run("start", "repositoryPurgeJob", "asOf=2026-11-23T00:00:00Z")).isZero();
		assertThat(output.getOut()).contains(
				"repositoryPurgeJob execution 1: COMPLETED - Removed 0 job-repository rows: 0 job executions, 0 job instances");
		assertThat(run("start", "repositoryPurgeJob", "asOf=2026-11-23T00:00:00Z")).isEqualTo(2);
		assertThat(output.getOut()).contains("Refused: Job repositoryPurgeJob with identifying parameters")
			.contains("is already complete (execution 1)")
			.contains("Refused: Job repositoryPurgeJob with identifying parameters asOf=2026-11-23T00:00:00Z is already"
					+ " complete (execution 1)");
	}

	@Test
	void refusesUnknownJobsInvalidParametersAndMalformedCommands(CapturedOutput output) {
		assertThat(run("start", "noSuchJob")).isEqualTo(2);
		assertThat(output.getOut()).containsPattern("Refused: No job named 'noSuchJob'; known jobs: \\[[A-Za-z, ]+]");
		String known = output.getOut().substring(output.getOut().indexOf("known jobs: ["));
		assertThat(known.substring(0, known.indexOf(']')).split("[\\[,] ?")).containsExactlyInAnyOrder("known jobs: ",
				"repositoryPurgeJob", "manifestUpdateJob", "imageIngestJob", "imageBatchPurgeJob",
				"enhancementImportJob", "referenceLoadJob", "enhancementLeaseExpiryJob");
		assertThat(run("start", "repositoryPurgeJob", "asOf=yesterday")).isEqualTo(2);
		assertThat(output.getOut()).contains("Parameter 'asOf' must be an ISO-8601 instant");
		assertThat(run("start")).isEqualTo(2);
		assertThat(output.getOut()).contains("start needs a job name").contains("Usage: start <job>");
		assertThat(run("restart", "abc")).isEqualTo(2);
		assertThat(output.getOut()).contains("Not an execution id: 'abc'");
		assertThat(run("start", "repositoryPurgeJob", "asOf")).isEqualTo(2);
		assertThat(output.getOut()).contains("Job parameters are key=value, not 'asOf'");
		assertThat(run("stop", "4242")).isEqualTo(2);
		assertThat(output.getOut()).contains("Refused: No job execution with id 4242");
	}

	@Test
	void refusesAParameterTypeOutsideTheAllowListBeforeWritingAnything(CapturedOutput output) throws SQLException {
		Path target = this.directory.resolve("truncated");
		assertThat(run("start", "repositoryPurgeJob", "asOf=2026-11-23T00:00:00Z",
				"x=" + target + ",java.io.FileOutputStream,false"))
			.isEqualTo(2);
		assertThat(output.getOut()).contains("Refused: Parameter 'x': type 'java.io.FileOutputStream' is not allowed; "
				+ "use one of java.lang.String, java.lang.Long");
		assertThat(run("start", "repositoryPurgeJob", "asOf=2026-11-23T00:00:00Z", "y=1,com.example.NoSuchClass"))
			.isEqualTo(2);
		assertThat(output.getOut()).contains("Refused: Parameter 'y': type 'com.example.NoSuchClass' is not allowed");
		assertThat(run("start", "repositoryPurgeJob", "asOf=2026-11-23T00:00:00Z,java.lang.String,maybe")).isEqualTo(2);
		assertThat(output.getOut())
			.contains("Refused: Parameter 'asOf': identifying flag 'maybe' must be 'true' or 'false'");
		assertThat(target).doesNotExist();
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE")).isZero();
	}

	@Test
	void aFailedExecutionExitsNonZeroAndRestartsToCompletion(CapturedOutput output) throws SQLException {
		List<Long> purgeable = finishedExecutions(3);
		failDeletes(true);
		assertThat(run("start", "repositoryPurgeJob", "asOf=2100-01-01T00:00:00Z")).isEqualTo(1);
		long failed = purgeable.size() + 1;
		assertThat(output.getOut()).contains("repositoryPurgeJob execution " + failed
				+ ": FAILED - SQLException: Injected fault: deletes on this table fail" + System.lineSeparator());
		assertThat(run("stop", String.valueOf(failed))).isEqualTo(2);
		assertThat(output.getOut())
			.contains("Refused: Cannot stop execution " + failed + " (FAILED): it is not running");
		failDeletes(false);
		assertThat(run("restart", String.valueOf(failed))).isZero();
		assertThat(output.getOut()).contains("repositoryPurgeJob execution " + (failed + 1)
				+ ": COMPLETED - Removed 18 job-repository rows: 3 job executions, 3 job instances");
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID IN (1, 2, 3)")).isZero();
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")).isEqualTo(2);
	}

	@Test
	void abandonsAFailedExecutionWhichThenCannotBeRestarted(CapturedOutput output) throws SQLException {
		finishedExecutions(1);
		failDeletes(true);
		assertThat(run("start", "repositoryPurgeJob", "asOf=2100-01-01T00:00:00Z")).isEqualTo(1);
		assertThat(run("abandon", "2")).isZero();
		assertThat(output.getOut()).contains("repositoryPurgeJob execution 2: ABANDONED");
		assertThat(run("restart", "2")).isEqualTo(2);
		assertThat(output.getOut()).contains("Refused: Cannot restart execution 2 (ABANDONED)");
	}

	@Test
	void recoverIsRefusedForAnExecutionThatIsNotRunning(CapturedOutput output) {
		assertThat(run("start", "repositoryPurgeJob", "asOf=2026-11-23T00:00:00Z")).isZero();
		assertThat(run("recover", "1")).isEqualTo(2);
		assertThat(output.getOut()).contains("Refused: Cannot recover execution 1 (COMPLETED): it is not running");
	}

	/**
	 * The README's command on the embedded default (the profile a {@code java -jar} run
	 * gets): every verb works, and the command starts none of the server's parts, neither
	 * the emulators (their ports are held here, so one that tried to start would fail the
	 * command) nor the sample data.
	 */
	@Test
	void everyVerbRunsOnTheEmbeddedDefaultWithoutEmulatorsOrSampleData(CapturedOutput output)
			throws IOException, SQLException {
		try (ServerSocket sqs = held(); ServerSocket dynamoDb = held(); ServerSocket sns = held()) {
			String[] embedded = { "--spring.profiles.active=embedded",
					"--batchyard.embedded.sqs.port=" + sqs.getLocalPort(),
					"--batchyard.embedded.dynamodb.port=" + dynamoDb.getLocalPort(),
					"--batchyard.embedded.sns.port=" + sns.getLocalPort(),
					"--batchyard.embedded.sqs.db-path=" + this.directory.resolve("elasticmq"),
					"--batchyard.embedded.dynamodb.db-path=" + this.directory.resolve("dynamodb"),
					"--batchyard.embedded.manifest-update.sample-data=../sample-data/manifest-update",
					"--batchyard.embedded.enhancements.sample-references=../sample-data/enhancements/references.jsonl",
					"--batchyard.jobs.manifest-update.storage.directory=" + this.directory.resolve("blobs"),
					"--batchyard.jobs.image-ingest.storage.directory=" + this.directory.resolve("images"),
					"--batchyard.enhancements.storage.directory=" + this.directory.resolve("enhancement-blobs") };

			assertThat(run(with(embedded, "start", "repositoryPurgeJob", "asOf=2026-11-23T00:00:00Z"))).isZero();
			assertThat(output.getOut()).contains(
					"repositoryPurgeJob execution 1: COMPLETED - Removed 0 job-repository rows: 0 job executions, 0 job instances");
			failDeletes(true);
			assertThat(run(with(embedded, "start", "repositoryPurgeJob", "asOf=2100-01-01T00:00:00Z"))).isOne();
			assertThat(output.getOut()).contains("repositoryPurgeJob execution 2: FAILED");
			assertThat(run(with(embedded, "stop", "2"))).isEqualTo(2);
			assertThat(output.getOut()).contains("Refused: Cannot stop execution 2 (FAILED): it is not running");
			assertThat(run(with(embedded, "recover", "2"))).isEqualTo(2);
			assertThat(output.getOut()).contains("Refused: Cannot recover execution 2 (FAILED): it is not running");
			failDeletes(false);
			assertThat(run(with(embedded, "restart", "2"))).isZero();
			assertThat(output.getOut()).contains("repositoryPurgeJob execution 3: COMPLETED - Removed 6 job-repository"
					+ " rows: 1 job executions, 1 job instances");
			failDeletes(true);
			assertThat(run(with(embedded, "start", "repositoryPurgeJob", "asOf=2100-01-02T00:00:00Z"))).isOne();
			assertThat(run(with(embedded, "abandon", "4"))).isZero();
			assertThat(output.getOut()).contains("repositoryPurgeJob execution 4: ABANDONED");
		}
		assertThat(output.getOut()).doesNotContain("HttpSecurity").doesNotContain("is the port in use");
		assertThat(count("SELECT COUNT(*) FROM manifests")).as("manifest-update sample data loaded").isZero();
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE WHERE JOB_NAME <> 'repositoryPurgeJob'"))
			.as("sample references loaded")
			.isZero();
	}

	/** A loopback port held open for the duration of a test. */
	private static ServerSocket held() throws IOException {
		return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
	}

	private static String[] with(String[] settings, String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.addAll(List.of(settings));
		return all.toArray(String[]::new);
	}

	/**
	 * Completed purge runs whose metadata a later purge (as of 2100) deletes: six rows
	 * each (instance, execution, parameter, step execution and the two execution
	 * contexts).
	 */
	private List<Long> finishedExecutions(int count) {
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			assertThat(run("start", "repositoryPurgeJob", "asOf=2020-01-0" + (i + 1) + "T00:00:00Z")).isZero();
			ids.add((long) i + 1);
		}
		return ids;
	}

	private void failDeletes(boolean fail) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.url, "sa", "");
				Statement statement = connection.createStatement()) {
			statement
				.execute(fail ? "CREATE TRIGGER FAIL_DELETES BEFORE DELETE ON BATCH_JOB_EXECUTION FOR EACH ROW CALL \""
						+ FailingDeleteTrigger.class.getName() + "\"" : "DROP TRIGGER FAIL_DELETES");
		}
	}

	private long count(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.url, "sa", "");
				Statement statement = connection.createStatement();
				var rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	private int run(String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.add("--spring.datasource.url=" + this.url);
		all.add("--spring.datasource.username=sa");
		all.add("--logging.level.root=WARN");
		return CommandLine.run(BatchyardApplication.class, all.toArray(String[]::new));
	}

}
