package io.batchyard.launcher.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;

import com.jayway.jsonpath.JsonPath;
import io.batchyard.launcher.cli.FailingDeleteTrigger;
import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import io.batchyard.test.RepositoryFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A failed execution's exit descriptions through the API: the cause in one sentence,
 * never the stack trace Spring Batch stored.
 */
@BatchyardTest
@Import(JobRuns.class)
class ExitDescriptionApiTests {

	private static final String CAUSE = "Injected fault: deletes on this table fail";

	@Autowired
	MockMvc mvc;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JobRuns jobRuns;

	@AfterEach
	void cleanUp() {
		this.jdbc.execute("DROP TRIGGER IF EXISTS FAIL_DELETES");
		this.jobRuns.reset();
	}

	@Test
	void aFailedRunShowsItsRootCauseAndKeepsTheTraceForTheDashboard() throws Exception {
		RepositoryFixture fixture = new RepositoryFixture(this.jobRepository);
		fixture.execution(fixture.instance("fixityCheckJob", "old"), BatchStatus.COMPLETED,
				LocalDateTime.of(2020, 1, 1, 0, 0));
		// A real database fault deep under the purge's step.
		this.jdbc.execute("CREATE TRIGGER FAIL_DELETES BEFORE DELETE ON BATCH_JOB_EXECUTION FOR EACH ROW CALL \""
				+ FailingDeleteTrigger.class.getName() + "\"");
		String launched = this.mvc
			.perform(post("/api/jobs/repositoryPurgeJob/executions").contentType(MediaType.APPLICATION_JSON)
				.content("{\"parameters\": {\"asOf\": \"2100-01-01T00:00:00Z\"}}"))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = ((Number) JsonPath.read(launched, "$.executionId")).longValue();
		this.jobRuns.awaitEnd(id);

		String body = this.mvc.perform(get("/api/executions/" + id))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("FAILED"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String job = JsonPath.read(body, "$.exitDescription");
		String step = JsonPath.read(body, "$.steps[0].exitDescription");
		assertThat(job).isEqualTo("SQLException: " + CAUSE);
		assertThat(step).isEqualTo(job);
		// The repository keeps the trace after the cause, for the dashboard.
		String stored = this.jdbc.queryForObject(
				"SELECT EXIT_MESSAGE FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = ?", String.class, id);
		assertThat(stored).startsWith(job + "\n\n").contains("\tat ");
	}

	@Test
	void aStoredStackTraceIsShownAsOneSentence() throws Exception {
		RepositoryFixture fixture = new RepositoryFixture(this.jobRepository);
		JobExecution execution = fixture.execution(fixture.instance("repositoryPurgeJob", "stored-trace"),
				BatchStatus.FAILED, LocalDateTime.now().minusMinutes(1), BatchStatus.FAILED);
		Exception failure = new IllegalStateException("Chunk failed",
				new UncheckedIOException("Could not write", new IOException("No space left on device")));
		StepExecution step = RepositoryFixture.onlyStep(execution);
		step.setExitStatus(ExitStatus.FAILED.addExitDescription(failure));
		this.jobRepository.update(step);
		execution.setExitStatus(ExitStatus.FAILED.addExitDescription(failure));
		this.jobRepository.update(execution);

		// Stored as Spring Batch stores it: the trace, cut at 2,500 characters before
		// its causes. The API shows the deepest cause left.
		this.mvc.perform(get("/api/executions/" + execution.getId()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.exitDescription").value("IllegalStateException: Chunk failed"))
			.andExpect(jsonPath("$.steps[0].exitDescription").value("IllegalStateException: Chunk failed"));
	}

}
