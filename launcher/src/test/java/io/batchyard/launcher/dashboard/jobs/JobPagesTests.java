package io.batchyard.launcher.dashboard.jobs;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import io.batchyard.test.RepositoryFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The jobs page, a job's page (charts, latest executions, triggers) and its launch form
 * built from the job's declared parameters.
 */
@BatchyardTest
@Import(JobRuns.class)
@TestPropertySource(properties = { "batchyard.runner.heartbeat-interval=1h", "batchyard.runner.heartbeat-timeout=1h" })
class JobPagesTests {

	private static final String PURGE = "repositoryPurgeJob";

	private static final Pattern POINT = Pattern
		.compile("<a class=\"point ([A-Za-z0-9_\\-]+)\" href=\"/executions/(\\d+)\">");

	@Autowired
	MockMvc mvc;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JobRuns jobRuns;

	private RepositoryFixture fixture;

	@BeforeEach
	void setUp() {
		this.fixture = new RepositoryFixture(this.jobRepository);
	}

	@AfterEach
	void cleanUp() {
		this.jobRuns.reset();
	}

	@Test
	void theJobsPageShowsEachJobsHealth() throws Exception {
		LocalDateTime now = LocalDateTime.now();
		List<Long> ids = new ArrayList<>();
		// 33 executions: the strip shows the newest 30; 3 of the 33 failed.
		for (int i = 0; i < 33; i++) {
			BatchStatus status = (i % 11 == 5) ? BatchStatus.FAILED : BatchStatus.COMPLETED;
			ids.add(seed(PURGE, "run-" + i, status, now.minusHours(33 - i), 60 + i));
		}
		String page = html(get("/jobs"));
		String row = row(page, PURGE);
		assertThat(row).contains("Deletes the job-repository metadata of executions")
			.contains("href=\"/executions/" + ids.get(32) + "\"><span class=\"status status-completed\">COMPLETED");
		List<String> cells = cells(row);
		assertThat(cells).hasSize(30);
		// Oldest first: the strip ends with the newest execution.
		assertThat(cells.get(0)).contains("/executions/" + ids.get(3) + "\"").contains("status-completed");
		assertThat(cells.get(29)).contains("/executions/" + ids.get(32) + "\"");
		assertThat(cells.stream().filter((cell) -> cell.contains("status-failed"))).hasSize(3);
		// Over 7 days: all 33 ended, 30 completed. Durations of the completed ones are
		// 60..92 s without 65, 76 and 87.
		assertThat(row).contains("90.9%").contains("30 of 33 ended executions completed, 3 failed");
		assertThat(row).contains(">1m 16s</span> / <span>1m 30s<");
		// The 24-hour window holds the newest 23 (or 24 at a second's boundary).
		assertThat(row(html(get("/jobs").param("window", "24h")), PURGE)).containsPattern("of 2[34] ended");
		// The schedule's next fire, from its cron expression although this node does
		// not schedule.
		assertThat(row).contains("03:30:00");
		assertThat(row(page, "imageBatchPurgeJob")).contains("never run").contains(">–</td>");
		assertThat(row(page, "manifestUpdateJob")).contains("queue batch-completion").contains("not scheduled");
		assertThat(html(get("/jobs").param("window", "1y")))
			.contains("Unknown window &#39;1y&#39;: use 24h, 7d or 30d");
	}

	@Test
	void theJobPageChartsOnePointPerExecutionThatEndedInTheWindow() throws Exception {
		LocalDateTime now = LocalDateTime.now();
		List<Long> completed = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			completed.add(seed(PURGE, "c-" + i, BatchStatus.COMPLETED, now.minusHours(2 + i * 20), 240 + i * 30));
		}
		long failed = seed(PURGE, "f-1", BatchStatus.FAILED, now.minusHours(30), 420);
		long stopped = seed(PURGE, "s-1", BatchStatus.STOPPED, now.minusHours(40), 100);
		long old = seed(PURGE, "old", BatchStatus.COMPLETED, now.minusDays(12), 300);
		long running = this.fixture.execution(this.fixture.instance(PURGE, "running"), BatchStatus.STARTED, null)
			.getId();

		String page = html(get("/jobs/" + PURGE));
		String chart = between(page, "<figure class=\"chart\" id=\"duration-chart\">", "</figure>");
		assertThat(chart).contains("data-points=\"8\"");
		List<String[]> points = points(chart);
		assertThat(points).hasSize(8);
		assertThat(points.stream().map((point) -> Long.parseLong(point[1])))
			.containsExactlyInAnyOrder(completed.get(0), completed.get(1), completed.get(2), completed.get(3),
					completed.get(4), completed.get(5), failed, stopped)
			.doesNotContain(old, running);
		assertThat(points.stream().filter((point) -> point[0].equals("status-failed"))).hasSize(1);
		// A failure is marked with a cross, the others are dots.
		assertThat(chart).containsPattern("href=\"/executions/" + failed
				+ "\"><title>[^<]*FAILED[^<]*7m 00s</title><path d=\"M[0-9. ]+l8 8m0 -8l-8 8\"");
		assertThat(chart).containsPattern("href=\"/executions/" + completed.get(0)
				+ "\"><title>#[0-9]+ COMPLETED · [^<]+ · 4m 00s</title><circle ");
		// Axes with units: the longest is 7 minutes, so minutes; dates on the time axis.
		assertThat(chart).contains(">Duration (minutes)</text>")
			.contains(">Start time (" + ZoneId.systemDefault().getId() + ")</text>")
			.containsPattern(">\\d{1,2} [A-Z][a-z]{2}</text>");
		assertThat(page).contains("<span>8</span> executions that ended in the <span>last 7 days</span>");

		// The steps read 10 items in their 4 to 7 minutes: one throughput point each.
		String throughput = between(page, "<figure class=\"chart\" id=\"throughput-chart\">", "</figure>");
		assertThat(points(throughput)).hasSize(8);
		assertThat(throughput).contains(">Throughput (items read per second)</text>").contains(">step1</text>");

		// 30 days: the old one too.
		assertThat(points(between(html(get("/jobs/" + PURGE).param("window", "30d")),
				"<figure class=\"chart\" id=\"duration-chart\">", "</figure>")))
			.hasSize(9);
		// Latest executions with their item counts (10 read and written per step).
		String latest = between(page, "<table class=\"grid\" id=\"latest\">", "</table>");
		assertThat(latest).contains("href=\"/executions/" + running + "\"")
			.contains("<td class=\"read\">10</td>")
			.contains("<td class=\"written\">10</td>");
		assertThat(page).contains("Schedule <a href=\"/schedules\">repository-purge</a>")
			.contains("(not fired by this node)");
	}

	@Test
	void aJobThatHasNotRunSaysSoInsteadOfAnEmptyChart() throws Exception {
		seed(PURGE, "long-ago", BatchStatus.COMPLETED, LocalDateTime.now().minusDays(3), 60);
		String page = html(get("/jobs/imageBatchPurgeJob"));
		assertThat(page).doesNotContain("<svg")
			.contains("No execution of imageBatchPurgeJob ended in the last 7 days: nothing to chart yet.")
			.contains("This job has not run yet.");
		assertThat(html(get("/jobs/" + PURGE).param("window", "24h")))
			.contains("No execution of repositoryPurgeJob ended in the last 24 hours: nothing to chart yet.");
		this.mvc.perform(get("/jobs/noSuchJob"))
			.andExpect(redirectedUrl("/jobs"))
			.andExpect(flash().attribute("flash", startsWith("No job named 'noSuchJob'")));
	}

	@Test
	void theLaunchFormOffersTheDeclaredParametersAsLabelledCheckedInputs() throws Exception {
		String purge = between(html(get("/jobs/" + PURGE)), "<form method=\"post\" class=\"launch\"", "</form>");
		String asOf = field(purge, "asOf");
		assertThat(asOf).contains("<input type=\"hidden\" name=\"key\" value=\"asOf\">")
			.contains("<code>asOf</code>")
			.contains("<span class=\"type\">String</span>")
			.contains("required unless fireTime is given")
			.contains("identifying")
			.contains("placeholder=\"2026-11-23T03:30:00Z\"")
			.contains("required=\"required\"")
			.contains("pattern=\"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+\\-]\\d{2}:\\d{2})\"")
			.contains("default now (the launch time, when launched by hand)");
		// The default is filled in: the launch time, to the second.
		Matcher value = Pattern.compile("name=\"value\" value=\"([^\"]+)\"").matcher(asOf);
		assertThat(value.find()).isTrue();
		assertThat(Instant.parse(value.group(1))).isBetween(Instant.now().minusSeconds(60), Instant.now());
		// Set by schedules, not typed.
		assertThat(purge).doesNotContain("data-parameter=\"fireTime\"");

		String batchId = field(
				between(html(get("/jobs/enhancementImportJob")), "<form method=\"post\" class=\"launch\"", "</form>"),
				"batchId");
		assertThat(batchId).contains("name=\"value\" value=\"\"")
			.contains("placeholder=\"0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f\"")
			.contains("required=\"required\"")
			.contains("pattern=\"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\"")
			.contains("title=\"a UUID, for example 0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f\"");

		String manifest = between(html(get("/jobs/manifestUpdateJob")), "<form method=\"post\" class=\"launch\"",
				"</form>");
		assertThat(field(manifest, "customer")).contains("<span class=\"type\">Long</span>")
			.contains("pattern=\"-?[0-9]+\"")
			.contains("placeholder=\"2\"");
		assertThat(field(manifest, "finished")).contains("not identifying").doesNotContain("required=\"required\"");
	}

	@Test
	void theServerChecksWhatTheFormSendsAndKeepsWhatWasEntered() throws Exception {
		this.mvc
			.perform(post("/jobs/manifestUpdateJob/launch").with(csrf())
				.param("key", "customer", "batchId", "finished")
				.param("value", "two", "7", ""))
			.andExpect(redirectedUrl("/jobs/manifestUpdateJob#launch"))
			.andExpect(flash().attribute("flash",
					"Not launched: Parameter 'customer': 'two' is not a Long (for example 42)"));
		String page = this.mvc
			.perform(get("/jobs/manifestUpdateJob").flashAttr("entered", java.util.Map.of("customer", "two")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(field(page, "customer")).contains("name=\"value\" value=\"two\"");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE", Long.class)).isZero();

		// Bare values take the declared types: customer and batchId are Longs, finished
		// a non-identifying String.
		String location = this.mvc
			.perform(post("/jobs/manifestUpdateJob/launch").with(csrf())
				.param("key", "customer", "batchId", "finished")
				.param("value", "2", "7", "2026-11-23T03:30:00Z"))
			.andExpect(redirectedUrlPattern("/executions/*"))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		long id = Long.parseLong(location.substring("/executions/".length()));
		this.jobRuns.awaitEnd(id);
		assertThat(this.jdbc.queryForList(
				"SELECT PARAMETER_NAME || ':' || PARAMETER_TYPE || ':' || IDENTIFYING"
						+ " FROM BATCH_JOB_EXECUTION_PARAMS WHERE JOB_EXECUTION_ID = ? ORDER BY PARAMETER_NAME",
				String.class, id))
			.containsExactly("batchId:java.lang.Long:Y", "customer:java.lang.Long:Y", "finished:java.lang.String:N");
	}

	/**
	 * An execution that ran for the given seconds and ended at the given time (not
	 * returning the JobExecution: {@code @SpringBatchTest} would take such a method for
	 * its step-scope factory).
	 */
	private long seed(String job, String key, BatchStatus status, LocalDateTime end, int seconds) {
		JobExecution execution = this.fixture.execution(this.fixture.instance(job, key), status, end);
		this.jdbc.update("UPDATE BATCH_JOB_EXECUTION SET START_TIME = ?, CREATE_TIME = ? WHERE JOB_EXECUTION_ID = ?",
				Timestamp.valueOf(end.minusSeconds(seconds)), Timestamp.valueOf(end.minusSeconds(seconds)),
				execution.getId());
		this.jdbc.update("UPDATE BATCH_STEP_EXECUTION SET START_TIME = ? WHERE JOB_EXECUTION_ID = ?",
				Timestamp.valueOf(end.minusSeconds(seconds)), execution.getId());
		return execution.getId();
	}

	private static List<String[]> points(String chart) {
		List<String[]> points = new ArrayList<>();
		Matcher matcher = POINT.matcher(chart);
		while (matcher.find()) {
			points.add(new String[] { matcher.group(1), matcher.group(2) });
		}
		return points;
	}

	private static List<String> cells(String row) {
		List<String> cells = new ArrayList<>();
		Matcher matcher = Pattern.compile("<a href=\"[^\"]+\" class=\"cell [^>]+>").matcher(row);
		while (matcher.find()) {
			cells.add(matcher.group());
		}
		return cells;
	}

	private static String row(String page, String job) {
		return between(page, "<tr data-job=\"" + job + "\">", "</tr>");
	}

	private static String field(String form, String name) {
		return between(form, "data-parameter=\"" + name + "\">", "</small>");
	}

	private static String between(String text, String start, String end) {
		int from = text.indexOf(start);
		assertThat(from).as("'" + start + "' in the page").isNotNegative();
		int to = text.indexOf(end, from);
		return text.substring(from, to + end.length());
	}

	private String html(RequestBuilder request) throws Exception {
		return this.mvc.perform(request)
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/html"))
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

}
