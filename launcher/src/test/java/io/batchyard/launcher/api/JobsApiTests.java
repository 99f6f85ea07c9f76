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
	void answersNotFoundForAnUnknownExecution() throws Exception {
		this.mvc.perform(get("/api/executions/424242"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.error").value("No job execution with id 424242"));
	}

}
