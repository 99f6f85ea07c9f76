package io.batchyard.launcher.catalogue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.launch.JobParametersParser;
import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.LaunchRequest.Trigger;
import io.batchyard.jobs.launch.ParameterDeclaration;
import io.batchyard.launcher.BatchyardApplication;
import io.batchyard.launcher.cli.CommandLine;
import io.batchyard.launcher.support.BatchyardTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Every job's declaration and its validator cannot disagree: the registered job validates
 * with the validator its description built, the declared examples pass it, and a missing
 * required parameter is refused with the description's own message, the same from the
 * HTTP API, the launch form, the command line and a schedule's start-up check
 * ({@code SqsLaunchTriggerTests} asserts the queue's).
 */
@BatchyardTest
@ExtendWith(OutputCaptureExtension.class)
class JobCatalogueTests {

	@Autowired
	JobCatalogue catalogue;

	@Autowired
	JobRegistry jobRegistry;

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	private final JobParametersParser parser = new JobParametersParser();

	@Test
	void everyRegisteredJobValidatesWithTheValidatorItsDescriptionBuilt() {
		assertThat(this.catalogue.jobNames()).contains("repositoryPurgeJob", "referenceLoadJob", "enhancementImportJob",
				"enhancementLeaseExpiryJob", "manifestUpdateJob", "imageIngestJob", "imageBatchPurgeJob");
		for (String name : this.catalogue.jobNames()) {
			JobDescription description = this.catalogue.description(name).orElseThrow();
			assertThat(description.jobName()).isEqualTo(name);
			assertThat(this.jobRegistry.getJob(name).getJobParametersValidator()).as(name)
				.isSameAs(description.validator());
		}
	}

	@Test
	void theDeclaredExamplesPassAndEachMissingRequiredParameterIsNamedByItsDeclaration() throws Exception {
		List<String> checked = new ArrayList<>();
		for (String name : this.catalogue.jobNames()) {
			JobDescription description = this.catalogue.description(name).orElseThrow();
			Job job = this.jobRegistry.getJob(name);
			Map<String, String> examples = new LinkedHashMap<>();
			description.parameters()
				.stream()
				.filter((parameter) -> parameter.typedByHand() && parameter.example() != null)
				.forEach((parameter) -> examples.put(parameter.name(), parameter.example()));
			job.getJobParametersValidator().validate(parameters(name, examples, Trigger.MANUAL));

			for (ParameterDeclaration parameter : description.parameters()) {
				if (!parameter.required()) {
					continue;
				}
				Map<String, String> without = new LinkedHashMap<>(examples);
				without.remove(parameter.name());
				// A default stands in only for a launch by hand: a queue's launch meets
				// the requirement.
				JobParameters missing = parameters(name, without,
						(parameter.defaultValue() != null) ? Trigger.QUEUE : Trigger.MANUAL);
				assertThat(refusal(job, missing)).as(name + " without " + parameter.name())
					.isEqualTo(description.missing(parameter));
				checked.add(name + "." + parameter.name());
			}
		}
		assertThat(checked).contains("repositoryPurgeJob.asOf", "enhancementImportJob.batchId",
				"manifestUpdateJob.customer", "manifestUpdateJob.batchId", "referenceLoadJob.input",
				"imageIngestJob.batchId");
	}

	@Test
	void aMissingRequiredParameterGetsTheSameMessageFromTheApiTheFormAndTheCommandLine(CapturedOutput output,
			@TempDir Path directory) throws Exception {
		JobDescription description = this.catalogue.description("enhancementImportJob").orElseThrow();
		String expected = description.missing(description.parameter("batchId").orElseThrow());
		assertThat(expected)
			.isEqualTo("enhancementImportJob needs the identifying parameter 'batchId' (String, a UUID):"
					+ " the robot enhancement batch whose result file to import (for example"
					+ " 0b6e2d0c-4f5a-4b8e-9c1d-2a3b4c5d6e7f)");

		this.mvc
			.perform(post("/api/jobs/enhancementImportJob/executions").contentType(MediaType.APPLICATION_JSON)
				.content("{\"parameters\": {}}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.status").value(400))
			.andExpect(jsonPath("$.error").value(expected));

		// The form sends the declared input even when left empty: not given, not "".
		this.mvc
			.perform(post("/jobs/enhancementImportJob/launch").with(csrf()).param("key", "batchId").param("value", " "))
			.andExpect(redirectedUrl("/jobs/enhancementImportJob#launch"))
			.andExpect(flash().attribute("flashKind", "error"))
			.andExpect(flash().attribute("flash", "Not launched: " + expected));
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE", Long.class)).isZero();

		String url = "jdbc:h2:file:" + directory.resolve("cli").toAbsolutePath() + ";MODE=PostgreSQL;AUTO_SERVER=TRUE";
		assertThat(CommandLine.run(BatchyardApplication.class, new String[] { "start", "enhancementImportJob",
				"--spring.datasource.url=" + url, "--spring.datasource.username=sa", "--logging.level.root=WARN" }))
			.isEqualTo(2);
		assertThat(output.getOut()).contains("Refused: " + expected + System.lineSeparator());
	}

	@Test
	void aScheduleMissingARequiredParameterStopsStartUpWithTheSameMessage() {
		JobDescription description = this.catalogue.description("enhancementImportJob").orElseThrow();
		String expected = description.missing(description.parameter("batchId").orElseThrow());
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(BatchyardApplication.class).web(WebApplicationType.NONE)
				.run("--batchyard.schedules.imports.cron=0 0 4 * * *",
						"--batchyard.schedules.imports.job=enhancementImportJob", "--logging.level.root=WARN")
				.close())
			.havingRootCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("Schedule 'imports' cannot launch enhancementImportJob"
					+ " (batchyard.schedules.imports.parameters.*): " + expected);
	}

	private JobParameters parameters(String job, Map<String, String> given, Trigger trigger) {
		return this.parser.parse(this.catalogue.complete(new LaunchRequest(job, given, trigger)));
	}

	private static String refusal(Job job, JobParameters parameters) {
		try {
			job.getJobParametersValidator().validate(parameters);
		}
		catch (InvalidJobParametersException ex) {
			return ex.getMessage();
		}
		throw new AssertionError(job.getName() + " accepted " + parameters);
	}

}
