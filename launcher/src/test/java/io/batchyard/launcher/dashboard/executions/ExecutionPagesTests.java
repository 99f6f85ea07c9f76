package io.batchyard.launcher.dashboard.executions;

import java.time.Duration;
import java.time.LocalDateTime;

import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import io.batchyard.test.RepositoryFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The executions list, the execution page and its actions, as an OPERATOR.
 */
@BatchyardTest
@Import(JobRuns.class)
@TestPropertySource(properties = { "batchyard.runner.heartbeat-interval=1h", "batchyard.runner.heartbeat-timeout=1h" })
class ExecutionPagesTests {

	private static final String PURGE = "repositoryPurgeJob";

	private static final String AS_OF = "2026-11-23T03:30:00Z";

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
	void listsExecutionsNewestFirstWithStatusDurationAndSkips() throws Exception {
		long failed = this.fixture
			.execution(this.fixture.instance("importJob", "a"), BatchStatus.FAILED, LocalDateTime.now().minusHours(1))
			.getId();
		long completed = this.fixture
			.execution(this.fixture.instance("exportJob", "b"), BatchStatus.COMPLETED, LocalDateTime.now())
			.getId();
		this.jdbc.update("UPDATE BATCH_STEP_EXECUTION SET READ_SKIP_COUNT = 3 WHERE JOB_EXECUTION_ID = ?", completed);

		String page = html(get("/executions"));
		assertThat(page).contains("2 executions")
			.contains("status status-failed")
			.contains("status status-completed")
			.contains("5m 00s")
			.contains("<td class=\"skips\">3</td>");
		assertThat(page.indexOf("/executions/" + completed + "\""))
			.isLessThan(page.indexOf("/executions/" + failed + "\""));
		// The home page lists the failure, which nothing completed since.
		this.mvc.perform(get("/"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("/executions/" + failed + "\"")));
	}

	@Test
	void filtersByJobStatusDatesAndParameterValue() throws Exception {
		long a = this.fixture.execution(this.fixture.instance("importJob",
				new JobParametersBuilder().addString("batchId", "b-42").addString("source", "s3").toJobParameters()),
				BatchStatus.FAILED, LocalDateTime.now())
			.getId();
		long b = this.fixture.execution(this.fixture.instance("importJob",
				new JobParametersBuilder().addString("batchId", "b-43").addString("other", "b-42").toJobParameters()),
				BatchStatus.COMPLETED, LocalDateTime.now())
			.getId();
		long c = this.fixture
			.execution(this.fixture.instance("exportJob", "c"), BatchStatus.COMPLETED, LocalDateTime.now())
			.getId();
		this.jdbc.update("UPDATE BATCH_JOB_EXECUTION SET CREATE_TIME = ? WHERE JOB_EXECUTION_ID = ?",
				java.sql.Timestamp.valueOf(LocalDateTime.of(2026, 1, 15, 10, 0)), c);

		assertThat(html(get("/executions").param("job", "importJob"))).contains("2 executions");
		assertThat(html(get("/executions").param("status", "completed"))).contains("2 executions");
		assertThat(html(get("/executions").param("job", "importJob").param("status", "FAILED")))
			.contains("1 executions")
			.contains("/executions/" + a + "\"");
		assertThat(html(get("/executions").param("parameter", "b-42"))).contains("2 executions")
			.contains("/executions/" + a + "\"")
			.contains("/executions/" + b + "\"");
		assertThat(html(get("/executions").param("parameter", "batchId=b-42"))).contains("1 executions")
			.contains("/executions/" + a + "\"");
		assertThat(html(get("/executions").param("parameter", "nothing"))).contains("0 executions")
			.contains("No executions match.");
		// "to" is inclusive on the page: the whole day.
		assertThat(html(get("/executions").param("from", "2026-01-15").param("to", "2026-01-15")))
			.contains("1 executions")
			.contains("/executions/" + c + "\"");
		assertThat(html(get("/executions").param("status", "DONE"))).contains("Unknown status &#39;DONE&#39;")
			.contains("3 executions");
		assertThat(html(get("/executions").param("from", "yesterday"))).contains("Dates are ISO dates");
	}

	@Test
	void pagesTwentyFiveAtATime() throws Exception {
		for (int i = 0; i < 27; i++) {
			this.fixture.execution(this.fixture.instance("importJob", "k" + i), BatchStatus.COMPLETED,
					LocalDateTime.now());
		}
		assertThat(html(get("/executions"))).contains("Page 1 of 2").contains("Older").doesNotContain("Newer");
		String second = html(get("/executions").param("page", "1"));
		assertThat(second).contains("Page 2 of 2").contains("Newer").doesNotContain("Older");
		assertThat(second.split("<tr data-status").length - 1).isEqualTo(2);
	}

	@Test
	void showsAFailedExecutionWithParametersStepsContextTimelineAndItsActions() throws Exception {
		JobInstance instance = this.fixture.instance(PURGE,
				new JobParametersBuilder().addString("asOf", AS_OF).addLong("batch", 42L, false).toJobParameters());
		JobExecution execution = this.fixture.execution(instance, BatchStatus.FAILED,
				LocalDateTime.now().minusMinutes(1), BatchStatus.COMPLETED, BatchStatus.FAILED);
		StepExecution failedStep = execution.getStepExecutions()
			.stream()
			.filter((step) -> step.getStatus() == BatchStatus.FAILED)
			.findFirst()
			.orElseThrow();
		failedStep.setExitStatus(
				ExitStatus.FAILED.addExitDescription("java.lang.IllegalStateException: disk full\n\tat x.Y"));
		failedStep.getExecutionContext().putLong("purge.position", 17);
		this.jobRepository.update(failedStep);
		this.jobRepository.updateExecutionContext(failedStep);

		String page = html(get("/executions/" + execution.getId()));
		assertThat(page).contains(PURGE)
			.contains("<td>asOf</td><td>" + AS_OF + "</td>")
			.contains("<td>String</td><td>yes</td>")
			.contains("<td>batch</td><td>42</td>")
			.contains("<td>Long</td><td>no</td>")
			.contains("step1")
			.contains("step2")
			.contains("<summary>Exit description</summary><pre>java.lang.IllegalStateException: disk full")
			.contains("<th>purge.position</th><td>17</td>")
			.contains("class=\"bar status status-completed\"")
			.contains("class=\"bar status status-failed\"")
			// The actions its state allows, each a confirmed POST with a CSRF token.
			.contains("action=\"/executions/" + execution.getId() + "/restart\"")
			.contains("action=\"/executions/" + execution.getId() + "/abandon\"")
			.contains("data-confirm=\"Really restart execution " + execution.getId() + "?\"")
			.contains("name=\"_csrf\"")
			.doesNotContain("/stop\"")
			.doesNotContain("/recover\"");
	}

	@Test
	void offersNoActionOnACompletedExecutionAndRefusesOneWithAMessage() throws Exception {
		long completed = this.fixture
			.execution(this.fixture.instance(PURGE, "done"), BatchStatus.COMPLETED, LocalDateTime.now())
			.getId();
		assertThat(html(get("/executions/" + completed))).contains("No action is possible on this execution now.")
			.doesNotContain("/restart\"");
		for (String action : new String[] { "restart", "abandon", "stop", "recover" }) {
			this.mvc.perform(post("/executions/" + completed + "/" + action).with(csrf()))
				.andExpect(status().isFound())
				.andExpect(redirectedUrl("/executions/" + completed))
				.andExpect(flash().attribute("flashKind", "error"))
				.andExpect(flash().attribute("flash", containsString("Cannot " + action + " execution " + completed)));
		}
		this.mvc.perform(post("/executions/" + completed + "/explode").with(csrf()))
			.andExpect(flash().attribute("flash", containsString("No action 'explode'")));
		this.mvc.perform(get("/executions/4242"))
			.andExpect(redirectedUrl("/executions"))
			.andExpect(flash().attribute("flash", "No job execution with id 4242"));
		// The message shows on the next page, without a stack trace.
		String page = this.mvc
			.perform(get("/executions/" + completed).flashAttr("flash", "Cannot restart execution " + completed)
				.flashAttr("flashKind", "error"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("flash flash-error").doesNotContain("at io.batchyard");
	}

	@Test
	void restartsAFailedExecutionAndShowsTheNewOneBesideTheOld() throws Exception {
		JobInstance instance = this.fixture.instance(PURGE,
				new JobParametersBuilder().addString("asOf", AS_OF).toJobParameters());
		long failed = this.fixture.execution(instance, BatchStatus.FAILED, LocalDateTime.now().minusMinutes(1)).getId();

		String location = this.mvc.perform(post("/executions/" + failed + "/restart").with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrlPattern("/executions/*"))
			.andExpect(flash().attribute("flash", containsString("Execution " + failed + " restarted as execution")))
			.andReturn()
			.getResponse()
			.getRedirectedUrl();
		long restarted = Long.parseLong(location.substring("/executions/".length()));
		assertThat(restarted).isGreaterThan(failed);
		this.jobRuns.awaitEnd(restarted);

		String page = html(get(location));
		assertThat(page).contains("id=\"job-status\" class=\"status status-completed\"")
			.contains("href=\"/executions/" + failed + "\"")
			.contains("class=\"current\"");
		assertThat(html(get("/executions/" + failed))).contains("No action is possible on this execution now.");
	}

	@Test
	void stopsARunningExecution() throws Exception {
		long running = this.fixture.execution(this.fixture.instance(PURGE, "running"), BatchStatus.STARTED, null)
			.getId();
		assertThat(html(get("/executions/" + running))).contains("/executions/" + running + "/stop\"")
			.contains("data-running=\"true\"")
			.doesNotContain("/restart\"");
		this.mvc.perform(post("/executions/" + running + "/stop").with(csrf()))
			.andExpect(redirectedUrl("/executions/" + running))
			.andExpect(flash().attribute("flashKind", "success"))
			.andExpect(flash().attribute("flash", containsString("stop done")));
		assertThat(this.jdbc.queryForObject("SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?",
				String.class, running))
			.isIn("STOPPING", "STOPPED");
	}

	@Test
	void streamsProgressAndEndsWithDoneWhenTheExecutionIsOver() throws Exception {
		long completed = this.fixture
			.execution(this.fixture.instance(PURGE, "done"), BatchStatus.COMPLETED, LocalDateTime.now())
			.getId();
		MvcResult result = this.mvc.perform(get("/executions/" + completed + "/progress"))
			.andExpect(request().asyncStarted())
			.andReturn();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(result.getResponse().getContentAsString()).contains("event:done"));
		assertThat(result.getResponse().getContentAsString()).contains("event:progress")
			.contains("\"status\":\"COMPLETED\"")
			.contains("\"running\":false")
			.contains("\"read\":10")
			.contains("data:COMPLETED");
	}

	@Test
	void progressOfARunningExecutionKeepsComing() throws Exception {
		long running = this.fixture.execution(this.fixture.instance(PURGE, "live"), BatchStatus.STARTED, null).getId();
		MvcResult result = this.mvc.perform(get("/executions/" + running + "/progress"))
			.andExpect(request().asyncStarted())
			.andReturn();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(result.getResponse().getContentAsString().split("event:progress"))
				.hasSizeGreaterThan(2));
		this.jdbc.update("UPDATE BATCH_STEP_EXECUTION SET READ_COUNT = 500 WHERE JOB_EXECUTION_ID = ?", running);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(result.getResponse().getContentAsString()).contains("\"read\":500")
				.contains("\"running\":true")
				.doesNotContain("event:done"));
		this.jdbc.update("UPDATE BATCH_STEP_EXECUTION SET STATUS = 'COMPLETED' WHERE JOB_EXECUTION_ID = ?", running);
		this.jdbc.update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'COMPLETED' WHERE JOB_EXECUTION_ID = ?", running);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(result.getResponse().getContentAsString()).contains("event:done"));
	}

	private String html(org.springframework.test.web.servlet.RequestBuilder request) throws Exception {
		return this.mvc.perform(request)
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/html"))
			.andExpect(content().string(allOf(containsString("Batchyard"), not(containsString("Whitelabel")))))
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

}
