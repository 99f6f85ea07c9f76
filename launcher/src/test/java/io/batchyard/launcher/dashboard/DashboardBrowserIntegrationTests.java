package io.batchyard.launcher.dashboard;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Optional;

import io.batchyard.test.RepositoryFixture;
import org.junit.jupiter.api.Test;

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
 * progress, and save screenshots of the main pages under {@code target/screenshots}.
 * Skipped when no Chromium is installed.
 */
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

	@Test
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
			await("the page shows COMPLETED").atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(250))
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

}
