package io.batchyard.launcher.dashboard;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

import io.batchyard.launcher.catalogue.JobCatalogue;
import io.batchyard.test.RepositoryFixture;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real browser (Debian's headless Chromium): log in, find the failed
 * execution, restart it, watch the page follow it to completion through the pushed
 * progress; the launch form's checks of a required parameter (in the browser, and by the
 * server for a request the browser would not send); a job page's chart, one point per
 * execution in the window; the home page's attention list with a failure, a pending
 * automatic restart and a running execution whose progress the page follows. Screenshots
 * of the pages are saved under {@code target/screenshots}. Skipped when no Chromium is
 * installed. The first test runs first: it counts the failed executions, which the later
 * ones add to.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.address=127.0.0.1",
		"batchyard.runner.heartbeat-interval=1h", "batchyard.runner.heartbeat-timeout=1h" })
class DashboardBrowserIntegrationTests {

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	@LocalServerPort
	int port;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JobCatalogue catalogue;

	@Test
	@Order(1)
	void logInFindAFailedExecutionRestartItAndWatchItComplete() {
		Optional<Path> executable = HeadlessChromium.find();
		assumeTrue(executable.isPresent(), "No Chromium found (/usr/bin/chromium, or set BATCHYARD_CHROMIUM):"
				+ " install Debian's chromium package to run the browser test; skipping it");
		RepositoryFixture fixture = new RepositoryFixture(this.jobRepository);
		for (int i = 0; i < 6; i++) {
			fixture.execution(fixture.instance("repositoryPurgeJob", "history-" + i), BatchStatus.COMPLETED,
					LocalDateTime.now().minusHours(6 - i));
		}
		long failed = fixture.execution(
				fixture.instance("repositoryPurgeJob",
						new JobParametersBuilder().addString("asOf", "2026-11-23T03:30:00Z").toJobParameters()),
				BatchStatus.FAILED, LocalDateTime.now().minusMinutes(3))
			.getId();
		this.jdbc.update("UPDATE BATCH_STEP_EXECUTION SET EXIT_MESSAGE = ? WHERE JOB_EXECUTION_ID = ?",
				"org.springframework.dao.DataAccessResourceFailureException: connection reset\n\tat ...", failed);
		new ResourceDatabasePopulator(new FileSystemResource("../sample-data/manifest-update/presentation.sql"))
			.execute(this.jdbc.getDataSource());
		String base = "http://127.0.0.1:" + this.port;

		try (HeadlessChromium browser = HeadlessChromium.start(executable.get(),
				Path.of("target", "process-logs", "chromium.log"))) {
			browser.open(base + "/executions");
			assertThat(browser.path()).isEqualTo("/login");
			browser.screenshot(SCREENSHOTS.resolve("login.png"));
			browser.evaluate("document.querySelector('input[name=username]').value = 'operator';"
					+ "document.querySelector('input[name=password]').value = 'operator-secret';"
					+ "document.querySelector('form').submit(); true");
			await("logged in").atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> browser.path().startsWith("/executions")
						&& browser.evaluate("document.title").startsWith("Executions"));
			browser.awaitLoaded();
			browser.screenshot(SCREENSHOTS.resolve("executions.png"));

			// Find the failed execution through the status filter.
			browser.evaluate("document.querySelector('select[name=status]').value = 'FAILED';"
					+ "document.querySelector('form.filters').submit(); true");
			await().atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> browser.path().contains("status=FAILED"));
			browser.awaitLoaded();
			assertThat(browser.evaluate("document.querySelectorAll('#executions tbody tr[data-status]').length"))
				.isEqualTo("1");
			browser.evaluate("document.querySelector('#executions tbody a').click(); true");
			await().atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> browser.path().equals("/executions/" + failed));
			browser.awaitLoaded();
			assertThat(browser.evaluate("document.getElementById('job-status').textContent")).isEqualTo("FAILED");
			browser.screenshot(SCREENSHOTS.resolve("execution-failed.png"));

			// Restart, through the confirmation.
			// Clicked after the evaluation returns: the confirmation blocks the page's
			// script until the browser answers it.
			browser.evaluate("setTimeout(() => document.querySelector('button.action-restart').click(), 0); true");
			await("the restarted execution's page").atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> browser.path().matches("/executions/\\d+")
						&& !browser.path().equals("/executions/" + failed));
			assertThat(browser.dialogs()).containsExactly("Really restart execution " + failed + "?");
			long restarted = Long.parseLong(browser.path().substring("/executions/".length()));
			// No manual refresh: the page follows the execution to its end.
			// The page reloads itself at the end: an evaluation lost with the old
			// document
			// times out (HeadlessChromium) and the next poll asks the new one.
			await("the page shows COMPLETED").atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(250))
				.ignoreExceptions()
				.until(() -> "COMPLETED".equals(browser.evaluate(
						"document.getElementById('job-status') ? document.getElementById('job-status').textContent : ''")));
			browser.awaitLoaded();
			assertThat(browser.evaluate("document.querySelectorAll('#instance-executions tbody tr').length"))
				.isEqualTo("2");
			// One bar per step execution of the instance: the failed run's and the
			// restart's.
			assertThat(Integer.parseInt(browser.evaluate("document.querySelectorAll('#timeline .bar').length")))
				.isGreaterThanOrEqualTo(2);
			assertThat(this.jdbc.queryForObject("SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?",
					String.class, restarted))
				.isEqualTo("COMPLETED");
			browser.screenshot(SCREENSHOTS.resolve("execution-restarted.png"));

			for (String page : new String[] { "jobs", "schedules", "triggers", "nodes", "manifests", "image-batches",
					"enhancements" }) {
				browser.open(base + "/" + page);
				assertThat(browser.path()).isEqualTo("/" + page);
				browser.screenshot(SCREENSHOTS.resolve(page + ".png"));
			}
			browser.open(base + "/steps/history?job=repositoryPurgeJob&step=step1");
			browser.screenshot(SCREENSHOTS.resolve("step-history.png"));
		}
	}

	@Test
	@Order(2)
	void theLaunchFormRefusesAMissingRequiredParameterInTheBrowserAndOnTheServer() {
		Path executable = chromium();
		String expected = this.catalogue.description("enhancementImportJob")
			.map((description) -> description.missing(description.parameter("batchId").orElseThrow()))
			.orElseThrow();
		long instances = instances();
		try (HeadlessChromium browser = HeadlessChromium.start(executable,
				Path.of("target", "process-logs", "chromium-launch-form.log"))) {
			logIn(browser);
			browser.open(base() + "/jobs/enhancementImportJob");
			assertThat(browser.evaluate("document.getElementById('p-batchId').required")).isEqualTo("true");
			// Submitting with the required input empty: the browser refuses, before the
			// confirmation and before any request.
			String attempt = "(() => { const form = document.querySelector('form.launch');"
					+ " const input = document.getElementById('p-batchId'); window.invalid = false;"
					+ " window.submitted = false; input.addEventListener('invalid', () => window.invalid = true);"
					+ " form.addEventListener('submit', () => window.submitted = true);"
					+ " form.querySelector('button[type=submit]').click();"
					+ " return [window.invalid, window.submitted, input.validity.valueMissing,"
					+ " input.validity.patternMismatch, input.validationMessage.length > 0].join(); })()";
			assertThat(browser.evaluate(attempt)).isEqualTo("true,false,true,false,true");
			// A malformed UUID: refused by the declared format's pattern.
			browser.evaluate("document.getElementById('p-batchId').value = 'not-a-uuid'; true");
			assertThat(browser.evaluate(attempt)).isEqualTo("true,false,false,true,true");
			assertThat(browser.dialogs()).isEmpty();
			assertThat(browser.path()).isEqualTo("/jobs/enhancementImportJob");
			browser.evaluate("document.getElementById('p-batchId').value = ''; true");
			browser.screenshot(SCREENSHOTS.resolve("launch-form-required.png"));

			// The same form sent without the browser's checks (form.submit() skips them):
			// the server refuses it with the declaration's message.
			browser.evaluate("document.querySelector('form.launch').submit(); true");
			await("the server's refusal").atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> browser.evaluate(
						"document.querySelector('.flash-error') ? document.querySelector('.flash-error').textContent : ''")
					.equals("Not launched: " + expected));
			browser.awaitLoaded();
			assertThat(browser.path()).isEqualTo("/jobs/enhancementImportJob");
			browser.screenshot(SCREENSHOTS.resolve("launch-form-refused.png"));

			// A crafted value the pattern would have stopped: refused by the server too,
			// and the entered value is kept for correcting.
			browser.evaluate("const input = document.getElementById('p-batchId'); input.value = 'not-a-uuid';"
					+ " document.querySelector('form.launch').submit(); true");
			await("the server's refusal of the format").atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> browser.evaluate(
						"document.querySelector('.flash-error') ? document.querySelector('.flash-error').textContent : ''")
					.startsWith("Not launched: Parameter 'batchId' must be a UUID such as"));
			browser.awaitLoaded();
			assertThat(browser.evaluate("document.getElementById('p-batchId').value")).isEqualTo("not-a-uuid");
		}
		assertThat(instances()).isEqualTo(instances);
	}

	@Test
	@Order(3)
	void theJobPageChartsOnePointPerExecutionThatEndedInTheWindow() {
		Path executable = chromium();
		String job = "imageBatchPurgeJob";
		RepositoryFixture fixture = new RepositoryFixture(this.jobRepository);
		LocalDateTime now = LocalDateTime.now();
		for (int i = 0; i < 9; i++) {
			BatchStatus status = (i % 4 == 3) ? BatchStatus.FAILED : BatchStatus.COMPLETED;
			LocalDateTime end = now.minusHours(3 + i * 15);
			Timestamp start = Timestamp.valueOf(end.minusMinutes(2 + i));
			long id = fixture.execution(fixture.instance(job, "chart-" + i), status, end).getId();
			this.jdbc.update(
					"UPDATE BATCH_JOB_EXECUTION SET START_TIME = ?, CREATE_TIME = ? WHERE JOB_EXECUTION_ID = ?", start,
					start, id);
			this.jdbc.update("UPDATE BATCH_STEP_EXECUTION SET START_TIME = ? WHERE JOB_EXECUTION_ID = ?", start, id);
		}
		// Out of the 7-day window, and still running: not charted.
		fixture.execution(fixture.instance(job, "chart-old"), BatchStatus.COMPLETED, now.minusDays(10));
		fixture.execution(fixture.instance(job, "chart-running"), BatchStatus.STARTED, null);
		long inWindow = this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I"
				+ " ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID WHERE I.JOB_NAME = ? AND E.END_TIME >= ?"
				+ " AND E.START_TIME IS NOT NULL", Long.class, job, Timestamp.valueOf(now.minusDays(7)));
		assertThat(inWindow).isEqualTo(9);

		try (HeadlessChromium browser = HeadlessChromium.start(executable,
				Path.of("target", "process-logs", "chromium-job-chart.log"))) {
			logIn(browser);
			browser.open(base() + "/jobs/" + job);
			assertThat(browser.evaluate("document.querySelectorAll('#duration-chart svg').length")).isEqualTo("1");
			assertThat(browser.evaluate("document.querySelectorAll('#duration-chart a.point').length"))
				.isEqualTo(String.valueOf(inWindow));
			assertThat(browser.evaluate("document.querySelectorAll('#duration-chart a.point.status-failed').length"))
				.isEqualTo("2");
			// Drawn, not only present: every point has a size on the page.
			assertThat(browser.evaluate("Array.from(document.querySelectorAll('#duration-chart a.point'))"
					+ ".every((point) => point.getBoundingClientRect().width > 0)"))
				.isEqualTo("true");
			assertThat(browser.evaluate("document.querySelector('#duration-chart figcaption').textContent"))
				.startsWith(inWindow + " executions that ended in the last 7 days");
			assertThat(browser.evaluate("document.querySelectorAll('#throughput-chart svg').length")).isEqualTo("1");
			browser.screenshot(SCREENSHOTS.resolve("job-page.png"));
			// The 30-day window adds the old one.
			browser.open(base() + "/jobs/" + job + "?window=30d");
			assertThat(browser.evaluate("document.querySelectorAll('#duration-chart a.point').length"))
				.isEqualTo(String.valueOf(inWindow + 1));
		}
	}

	@Test
	@Order(4)
	void theHomePageListsAFailureAPendingRestartAndFollowsARunningExecution() {
		Path executable = chromium();
		String job = "enhancementLeaseExpiryJob";
		RepositoryFixture fixture = new RepositoryFixture(this.jobRepository);
		LocalDateTime now = LocalDateTime.now();
		long failed = fixture
			.execution(fixture.instance(job, "attention-failed"), BatchStatus.FAILED, now.minusHours(1))
			.getId();
		long restarting = fixture
			.execution(fixture.instance(job, "attention-restart"), BatchStatus.FAILED, now.minusMinutes(20))
			.getId();
		this.jdbc.update("DELETE FROM BATCHYARD_AUTO_RESTART WHERE FAILED_EXECUTION_ID = ?", restarting);
		this.jdbc.update("INSERT INTO BATCHYARD_AUTO_RESTART (FAILED_EXECUTION_ID, JOB_INSTANCE_ID, JOB_NAME, CATEGORY,"
				+ " ATTEMPT, MAX_ATTEMPTS, STATE, DUE_AT, CREATED_AT) SELECT JOB_EXECUTION_ID, JOB_INSTANCE_ID, ?,"
				+ " 'INFRASTRUCTURE', 1, 3, 'PENDING', ?, ? FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?", job,
				Timestamp.from(Instant.now().plus(Duration.ofHours(1))), Timestamp.from(Instant.now()), restarting);
		long running = fixture.execution(fixture.instance(job, "attention-running"), BatchStatus.STARTED, null).getId();
		this.jdbc.update("UPDATE BATCH_STEP_EXECUTION SET READ_COUNT = 40, WRITE_COUNT = 30 WHERE JOB_EXECUTION_ID = ?",
				running);

		try (HeadlessChromium browser = HeadlessChromium.start(executable,
				Path.of("target", "process-logs", "chromium-attention.log"))) {
			logIn(browser);
			browser.open(base() + "/");
			assertThat(browser.evaluate("document.getElementById('all-well') === null")).isEqualTo("true");
			assertThat(browser
				.evaluate("document.querySelector('#failed li[data-execution=\"" + failed + "\"] a').textContent"))
				.isEqualTo(job + " #" + failed);
			assertThat(browser.evaluate("document.querySelector('#restarts li[data-execution=\"" + restarting
					+ "\"]').textContent.replace(/\\s+/g, ' ').trim()"))
				.startsWith(job + " #" + restarting + " restart 1 of 3 due ")
				.endsWith("(INFRASTRUCTURE)");
			String progress = "document.querySelector('#running li[data-execution=\"" + running
					+ "\"] .progress').textContent";
			assertThat(browser.evaluate(progress)).isEqualTo("40 read, 30 written");
			browser.screenshot(SCREENSHOTS.resolve("home-attention.png"));

			// The execution moves on: the page follows without being reloaded.
			browser.evaluate("window.sameDocument = true; true");
			this.jdbc.update("UPDATE BATCH_STEP_EXECUTION SET READ_COUNT = 75, WRITE_COUNT = 70, PROCESS_SKIP_COUNT = 2"
					+ " WHERE JOB_EXECUTION_ID = ?", running);
			await("the pushed progress").atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> browser.evaluate(progress).equals("75 read, 70 written, 2 skipped"));
			assertThat(browser.evaluate("window.sameDocument === true")).isEqualTo("true");
			browser.screenshot(SCREENSHOTS.resolve("home-attention-progress.png"));
		}
	}

	private Path chromium() {
		Optional<Path> executable = HeadlessChromium.find();
		assumeTrue(executable.isPresent(), "No Chromium found (/usr/bin/chromium, or set BATCHYARD_CHROMIUM):"
				+ " install Debian's chromium package to run the browser test; skipping it");
		return executable.get();
	}

	private String base() {
		return "http://127.0.0.1:" + this.port;
	}

	private void logIn(HeadlessChromium browser) {
		browser.open(base() + "/login");
		browser.evaluate("document.querySelector('input[name=username]').value = 'operator';"
				+ "document.querySelector('input[name=password]').value = 'operator-secret';"
				+ "document.querySelector('form').submit(); true");
		await("logged in").atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> !browser.path().startsWith("/login"));
		browser.awaitLoaded();
	}

	private long instances() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE", Long.class);
	}

}
