package io.batchyard.launcher.launch;

import java.nio.file.Files;
import java.nio.file.Path;

import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.launcher.support.JobRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A job parameter's type is never a class chosen by the client: launches through the API
 * and the dashboard are refused before anything is written, and rows already in the
 * repository with such a type are read back as text. (The queue and the command line:
 * {@code SqsLaunchTriggerTests}, {@code CommandLineTests}.)
 */
@BatchyardTest
@Import(JobRuns.class)
class ParameterAllowListTests {

	private static final String JOB = "repositoryPurgeJob";

	private static final String AS_OF = "2026-11-23T00:00:00Z";

	private static final String ALLOWED = "java.lang.String, java.lang.Long, java.lang.Double, java.lang.Boolean, "
			+ "java.time.Instant, java.time.LocalDate, java.time.LocalDateTime, java.time.LocalTime, java.util.Date";

	@TempDir
	Path directory;

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobRuns jobRuns;

	@Autowired
	OrphanInstances orphanInstances;

	@AfterEach
	void cleanUp() {
		this.jobRuns.reset();
	}

	@Test
	void refusesAFileOutputStreamParameterOverHttpWithoutCreatingTheFile() throws Exception {
		Path target = this.directory.resolve("truncated");

		launch("\"x\": \"" + target + ",java.io.FileOutputStream,false\"").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.status").value(400))
			.andExpect(jsonPath("$.error")
				.value("Parameter 'x': type 'java.io.FileOutputStream' is not allowed; use one of " + ALLOWED));

		assertThat(target).doesNotExist();
		assertNothingWritten();
	}

	@Test
	void refusesASpringXmlContextParameterWithoutLoadingIt() throws Exception {
		Path marker = this.directory.resolve("marker");
		Path xml = this.directory.resolve("evil.xml");
		// Loading this context would create the marker (a real command could run the same
		// way).
		Files.writeString(xml, """
				<beans xmlns="http://www.springframework.org/schema/beans"
					xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
					xsi:schemaLocation="http://www.springframework.org/schema/beans
						https://www.springframework.org/schema/beans/spring-beans.xsd">
					<bean class="java.io.FileOutputStream"><constructor-arg value="%s"/></bean>
				</beans>
				""".formatted(marker));

		launch("\"x\": \"file:" + xml + ",org.springframework.context.support.FileSystemXmlApplicationContext,false\"")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error")
				.value("Parameter 'x': type 'org.springframework.context.support.FileSystemXmlApplicationContext' "
						+ "is not allowed; use one of " + ALLOWED));

		assertThat(marker).doesNotExist();
		assertNothingWritten();
	}

	@Test
	void refusesAClassThatDoesNotExist() throws Exception {
		launch("\"x\": \"1,com.example.NoSuchClass,true\"").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error")
				.value("Parameter 'x': type 'com.example.NoSuchClass' is not allowed; use one of " + ALLOWED));
		assertNothingWritten();
	}

	@Test
	void refusesTheSameFromTheDashboardLaunchForm() throws Exception {
		Path target = this.directory.resolve("from-the-form");
		this.mvc
			.perform(post("/jobs/" + JOB + "/launch").with(csrf())
				.param("key", "asOf", "x", "y")
				.param("value", AS_OF, target + ",java.io.FileOutputStream,false", "1,com.example.NoSuchClass"))
			.andExpect(status().isFound())
			.andExpect(flash().attribute("flashKind", "error"))
			.andExpect(flash().attribute("flash",
					startsWith("Not launched: Parameter 'x': type 'java.io.FileOutputStream' is not allowed")));

		assertThat(target).doesNotExist();
		assertNothingWritten();
	}

	@Test
	void refusesAnOversizedValueBeforeWritingAndTheCorrectedLaunchWorks() throws Exception {
		launch("\"note\": \"" + "n".repeat(2501) + "\"").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error")
				.value("Parameter 'note': value of 2501 characters is longer than the limit of 2500"));
		assertNothingWritten();

		launch("\"note\": \"" + "n".repeat(2500) + "\"").andExpect(status().isAccepted());
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE")).isEqualTo(1);
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")).isEqualTo(1);
	}

	@Test
	void refusesTooManyParametersAndBadNames() throws Exception {
		StringBuilder many = new StringBuilder();
		for (int i = 0; i < 32; i++) {
			many.append("\"p").append(i).append("\": \"v\", ");
		}
		launch(many.append("\"last\": \"v\"").toString()).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("Too many job parameters: 34 (at most 32)"));
		launch("\"../x\": \"v\"").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(
					"Parameter name '../x' is not allowed: use a letter followed by letters, digits, '_', '.' or '-'"));
		assertNothingWritten();
	}

	@Test
	void refusesAnIdentifyingFlagOtherThanTrueOrFalse() throws Exception {
		this.mvc
			.perform(post("/api/jobs/" + JOB + "/executions").contentType(MediaType.APPLICATION_JSON)
				.content("{\"parameters\": {\"asOf\": \"" + AS_OF + ",java.lang.String,maybe\"}}"))
			.andExpect(status().isBadRequest())
			.andExpect(
					jsonPath("$.error").value("Parameter 'asOf': identifying flag 'maybe' must be 'true' or 'false'"));
		assertNothingWritten();
	}

	@Test
	void theJobsValidatorRefusesANonIdentifyingReferenceTime() throws Exception {
		this.mvc
			.perform(post("/api/jobs/" + JOB + "/executions").contentType(MediaType.APPLICATION_JSON)
				.content("{\"parameters\": {\"asOf\": \"" + AS_OF + ",java.lang.String,false\"}}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value(startsWith("Parameter 'asOf' must be identifying")));
		assertNothingWritten();
	}

	@Test
	void readsStoredParametersOfAnyOtherTypeBackAsTextWithoutConstructingThem() throws Exception {
		JobExecution execution = this.jobRepository.createJobExecution(
				this.jobRepository.createJobInstance(JOB,
						new JobParametersBuilder().addString("asOf", AS_OF).toJobParameters()),
				new JobParametersBuilder().addString("asOf", AS_OF).toJobParameters(),
				new org.springframework.batch.infrastructure.item.ExecutionContext());
		Path target = this.directory.resolve("read-back");
		// As an older version, or another client of the repository, could have stored
		// them.
		insertParameter(execution.getId(), "stream", "java.io.FileOutputStream", target.toString());
		insertParameter(execution.getId(), "missing", "com.example.NoSuchClass", "42");
		insertParameter(execution.getId(), "count", "java.lang.Long", "not a number");

		this.mvc.perform(get("/api/executions/" + execution.getId()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.parameters[?(@.name == 'stream')].value").value(contains(target.toString())))
			.andExpect(jsonPath("$.parameters[?(@.name == 'stream')].type").value(contains("java.lang.String")))
			.andExpect(jsonPath("$.parameters[?(@.name == 'missing')].value").value(contains("42")))
			.andExpect(jsonPath("$.parameters[?(@.name == 'count')].value").value(contains("not a number")))
			.andExpect(jsonPath("$.parameters[?(@.name == 'asOf')].value").value(contains(AS_OF)));
		this.mvc.perform(get("/executions/" + execution.getId())).andExpect(status().isOk());
		assertThat(this.jobRepository.getJobExecution(execution.getId()).getJobParameters().getString("stream"))
			.isEqualTo(target.toString());

		assertThat(target).doesNotExist();
		assertThat(this.directory.resolve("java.io.FileOutputStream")).doesNotExist();
	}

	@Test
	void aLaunchThatMeetsAnInstanceLeftWithoutExecutionRemovesItAndStarts() throws Exception {
		this.jobRepository.createJobInstance(JOB,
				new JobParametersBuilder().addString("asOf", AS_OF).toJobParameters());

		launch(null).andExpect(status().isAccepted());

		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE")).isEqualTo(1);
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")).isEqualTo(1);
	}

	@Test
	void startUpRemovesEveryInstanceWithoutExecution() throws Exception {
		launch(null).andExpect(status().isAccepted());
		this.jobRepository.createJobInstance(JOB,
				new JobParametersBuilder().addString("asOf", "2026-11-24T00:00:00Z").toJobParameters());
		this.jobRepository.createJobInstance(JOB,
				new JobParametersBuilder().addString("asOf", "2026-11-25T00:00:00Z").toJobParameters());

		assertThat(this.orphanInstances.deleteAll()).isEqualTo(2);

		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE")).isEqualTo(1);
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")).isEqualTo(1);
	}

	private ResultActions launch(String extra) throws Exception {
		String parameters = "\"asOf\": \"" + AS_OF + "\"" + ((extra != null) ? ", " + extra : "");
		return this.mvc.perform(post("/api/jobs/" + JOB + "/executions").contentType(MediaType.APPLICATION_JSON)
			.content("{\"parameters\": {" + parameters + "}}"));
	}

	private void insertParameter(long executionId, String name, String type, String value) {
		this.jdbc.update("INSERT INTO BATCH_JOB_EXECUTION_PARAMS (JOB_EXECUTION_ID, PARAMETER_NAME, PARAMETER_TYPE,"
				+ " PARAMETER_VALUE, IDENTIFYING) VALUES (?, ?, ?, ?, 'N')", executionId, name, type, value);
	}

	private void assertNothingWritten() {
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE")).isZero();
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")).isZero();
		assertThat(count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_PARAMS")).isZero();
	}

	private long count(String sql) {
		return this.jdbc.queryForObject(sql, Long.class);
	}

}
