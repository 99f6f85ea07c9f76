package io.batchyard.launcher.api;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.batchyard.jobs.launch.JobParameterValues;
import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.launcher.api.ApiViews.DeclaredParameterView;
import io.batchyard.launcher.api.ApiViews.JobDetailView;
import io.batchyard.launcher.api.ApiViews.JobView;
import io.batchyard.launcher.api.ApiViews.LaunchView;
import io.batchyard.launcher.api.ApiViews.QueueTriggerView;
import io.batchyard.launcher.api.ApiViews.ScheduleView;
import io.batchyard.launcher.catalogue.JobCatalogue;
import io.batchyard.launcher.catalogue.JobTriggers;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;

import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registered jobs, what each declares (description, parameters) and what starts it, and
 * launching them.
 */
@RestController
@RequestMapping("/api/jobs")
class JobsController {

	private final JobRegistry jobRegistry;

	private final JobLaunchService launchService;

	private final ExecutionQueries queries;

	private final JobCatalogue catalogue;

	private final JobTriggers triggers;

	JobsController(JobRegistry jobRegistry, JobLaunchService launchService, ExecutionQueries queries,
			JobCatalogue catalogue, JobTriggers triggers) {
		this.catalogue = catalogue;
		this.triggers = triggers;
		this.jobRegistry = jobRegistry;
		this.launchService = launchService;
		this.queries = queries;
	}

	@GetMapping
	List<JobView> jobs() {
		return this.jobRegistry.getJobNames().stream().sorted().map((name) -> {
			Job job = this.jobRegistry.getJob(name);
			return new JobView(name, this.catalogue.summary(name), job != null && job.isRestartable(),
					this.queries.last(name));
		}).toList();
	}

	@GetMapping("/{job}")
	JobDetailView job(@PathVariable String job) {
		Job registered = this.jobRegistry.getJob(job);
		if (registered == null) {
			throw new LaunchRefusedException(LaunchRefusedException.Reason.UNKNOWN_JOB,
					"No job named '" + job + "'; known jobs: " + this.catalogue.jobNames());
		}
		JobDescription description = this.catalogue.description(job).orElse(null);
		return new JobDetailView(job, this.catalogue.summary(job), registered.isRestartable(),
				(description != null) ? description.parameters().stream().map(DeclaredParameterView::of).toList()
						: List.of(),
				this.triggers.schedules(job).stream().map(ScheduleView::of).toList(),
				this.triggers.queues(job).stream().map(QueueTriggerView::of).toList(), this.queries.last(job));
	}

	record LaunchBody(Map<String, Object> parameters) {
	}

	@PostMapping("/{job}/executions")
	ResponseEntity<LaunchView> launch(@PathVariable String job, @RequestBody(required = false) LaunchBody body) {
		Map<String, String> parameters = JobParameterValues.fromJson((body != null) ? body.parameters() : null);
		JobExecution execution = this.launchService.launch(new LaunchRequest(job, parameters));
		return ResponseEntity.accepted()
			.location(URI.create("/api/executions/" + execution.getId()))
			.body(LaunchView.of(execution));
	}

}
