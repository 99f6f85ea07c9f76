package io.batchyard.launcher.runner;

import java.time.Duration;
import java.util.Map;

import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.support.BatchyardTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@BatchyardTest
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTests {

	@Autowired
	JobLaunchService launchService;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	MockMvc mvc;

	@Test
	void logLinesWrittenDuringAJobNameTheJobExecutionAndStep(CapturedOutput output) {
		long executionId = runPurge("2026-01-01T00:00:00Z");
		String step = "[job=repositoryPurgeJob execution=" + executionId + " step=purgeExecutionsStep]";
		assertThat(output.getAll()).contains(step + " ")
			.contains("Step: [purgeExecutionsStep] executed")
			.containsPattern("\\Q[job=repositoryPurgeJob execution=" + executionId
					+ "]\\E .*Executing step: \\[purgeExecutionsStep\\]");
	}

	@Test
	void springBatchTimersAreExposedToPrometheusAndHealthIncludesTheDatabase() throws Exception {
		runPurge("2026-02-01T00:00:00Z");
		this.mvc.perform(get("/actuator/prometheus"))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString(
					"spring_batch_job_seconds_count{error=\"none\",spring_batch_job_name=\"repositoryPurgeJob\"")))
			.andExpect(content().string(org.hamcrest.Matchers.containsString(
					"spring_batch_step_seconds_count{error=\"none\",spring_batch_step_job_name=\"repositoryPurgeJob\"")));
		this.mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("UP"));
	}

	private long runPurge(String asOf) {
		JobExecution execution = this.launchService
			.launch(new LaunchRequest("repositoryPurgeJob", Map.of("asOf", asOf)));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jobRepository.getJobExecution(execution.getId()).getStatus() == BatchStatus.COMPLETED);
		return execution.getId();
	}

}
