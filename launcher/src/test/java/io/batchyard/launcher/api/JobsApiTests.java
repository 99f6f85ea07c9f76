package io.batchyard.launcher.api;

import java.time.Duration;

import io.batchyard.launcher.support.BatchyardTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@BatchyardTest
class JobsApiTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@AfterEach
	void cleanUp() {
		this.repositoryUtils.removeJobExecutions();
	}

	@Test
	void launchesAJobAndAnswersWithItsExecution() throws Exception {
		this.mvc
			.perform(post("/api/jobs/repositoryPurgeJob/executions").contentType(MediaType.APPLICATION_JSON)
				.content("{\"parameters\": {\"asOf\": \"2026-11-23T00:00:00Z\"}}"))
			.andExpect(status().isAccepted())
			.andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("/api/executions/")))
			.andExpect(jsonPath("$.job").value("repositoryPurgeJob"));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jobRepository.getLastJobInstance("repositoryPurgeJob") != null && this.jobRepository
				.getLastJobExecution(this.jobRepository.getLastJobInstance("repositoryPurgeJob"))
				.getStatus() == BatchStatus.COMPLETED);
		this.mvc.perform(get("/api/jobs"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].name").value(org.hamcrest.Matchers.hasItem("repositoryPurgeJob")))
			.andExpect(jsonPath("$[?(@.name == 'repositoryPurgeJob')].lastExecution.status")
				.value(org.hamcrest.Matchers.contains("COMPLETED")));
		assertThat(this.jobRepository.getJobInstanceCount("repositoryPurgeJob")).isEqualTo(1);
	}

	@Test
	void refusesAnUnknownJobWithAJsonError() throws Exception {
		this.mvc.perform(post("/api/jobs/noSuchJob/executions").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.status").value(404))
			.andExpect(jsonPath("$.error").value(org.hamcrest.Matchers.containsString("No job named 'noSuchJob'")));
	}

	@Test
	void describesAJobItsDeclaredParametersAndWhatStartsIt() throws Exception {
		this.mvc.perform(get("/api/jobs/repositoryPurgeJob"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value("repositoryPurgeJob"))
			.andExpect(jsonPath("$.description").value(org.hamcrest.Matchers
				.startsWith("Deletes the job-repository metadata of executions that ended more than")))
			.andExpect(jsonPath("$.restartable").value(true))
			.andExpect(jsonPath("$.parameters.length()").value(2))
			.andExpect(jsonPath("$.parameters[0].name").value("asOf"))
			.andExpect(jsonPath("$.parameters[0].type").value("java.lang.String"))
			.andExpect(jsonPath("$.parameters[0].required").value(true))
			.andExpect(jsonPath("$.parameters[0].identifying").value(true))
			.andExpect(jsonPath("$.parameters[0].defaultValue").value("now (the launch time, when launched by hand)"))
			.andExpect(jsonPath("$.parameters[0].format").value("an ISO-8601 instant"))
			.andExpect(jsonPath("$.parameters[0].example").value("2026-11-23T03:30:00Z"))
			.andExpect(jsonPath("$.parameters[0].alternatives[0]").value("fireTime"))
			.andExpect(jsonPath("$.parameters[0].setBy").doesNotExist())
			.andExpect(jsonPath("$.parameters[1].name").value("fireTime"))
			.andExpect(jsonPath("$.parameters[1].required").value(false))
			.andExpect(jsonPath("$.parameters[1].setBy").value("schedules"))
			.andExpect(jsonPath("$.schedules.length()").value(1))
			.andExpect(jsonPath("$.schedules[0].name").value("repository-purge"))
			.andExpect(jsonPath("$.schedules[0].cron").value("0 30 3 * * *"))
			.andExpect(jsonPath("$.schedules[0].enabled").value(true))
			// The tests' scheduler is off: the next fire comes from the cron expression.
			.andExpect(jsonPath("$.schedules[0].firesOnThisNode").value(false))
			.andExpect(jsonPath("$.schedules[0].nextFireTime").value(org.hamcrest.Matchers.containsString("T03:30:00")))
			.andExpect(jsonPath("$.queueTriggers").isEmpty());
		this.mvc.perform(get("/api/jobs"))
			.andExpect(jsonPath("$[?(@.name == 'manifestUpdateJob')].description").value(org.hamcrest.Matchers.contains(
					org.hamcrest.Matchers.startsWith("Updates the manifest whose assets a finished DLCS batch"))));
		this.mvc.perform(get("/api/jobs/manifestUpdateJob"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.parameters[*].name")
				.value(org.hamcrest.Matchers.contains("customer", "batchId", "finished")))
			.andExpect(jsonPath("$.parameters[0].type").value("java.lang.Long"))
			.andExpect(jsonPath("$.parameters[2].identifying").value(false))
			.andExpect(jsonPath("$.schedules").isEmpty())
			.andExpect(jsonPath("$.queueTriggers.length()").value(1))
			.andExpect(jsonPath("$.queueTriggers[0].name").value("batch-completion"))
			.andExpect(jsonPath("$.queueTriggers[0].anyJob").value(false))
			.andExpect(jsonPath("$.queueTriggers[0].listening").value(false));
		this.mvc.perform(get("/api/jobs/enhancementImportJob"))
			.andExpect(jsonPath("$.parameters[0].pattern")
				.value("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"));
		this.mvc.perform(get("/api/jobs/noSuchJob"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.status").value(404))
			.andExpect(jsonPath("$.error")
				.value(org.hamcrest.Matchers.startsWith("No job named 'noSuchJob'; known jobs: [")));
	}

	@Test
	void aLaunchByHandWithoutAsOfRunsAsOfTheLaunchTime() throws Exception {
		java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		this.mvc
			.perform(post("/api/jobs/repositoryPurgeJob/executions").contentType(MediaType.APPLICATION_JSON)
				.content("{}"))
			.andExpect(status().isAccepted());
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jobRepository.getLastJobInstance("repositoryPurgeJob") != null && this.jobRepository
				.getLastJobExecution(this.jobRepository.getLastJobInstance("repositoryPurgeJob"))
				.getStatus() == BatchStatus.COMPLETED);
		String asOf = this.jobRepository
			.getLastJobExecution(this.jobRepository.getLastJobInstance("repositoryPurgeJob"))
			.getJobParameters()
			.getString("asOf");
		assertThat(java.time.Instant.parse(asOf)).isBetween(before, java.time.Instant.now());
		assertThat(asOf).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
	}

	@Test
	void answersNotFoundForAnUnknownExecution() throws Exception {
		this.mvc.perform(get("/api/executions/424242"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value("No job execution with id 424242"));
	}

}
