package io.batchyard.launcher.dashboard.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.launcher.dashboard.Flash;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;

import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The registered jobs, with a launch form per job: rows of parameter key and value, in
 * Spring Batch's notation ({@code value} or {@code value,type,identifying}).
 */
@Controller
class LaunchPageController {

	private final JobRegistry jobRegistry;

	private final JobLaunchService launchService;

	LaunchPageController(JobRegistry jobRegistry, JobLaunchService launchService) {
		this.jobRegistry = jobRegistry;
		this.launchService = launchService;
	}

	record JobRow(String name, boolean restartable) {
	}

	@GetMapping("/jobs")
	String jobs(Model model) {
		List<JobRow> jobs = this.jobRegistry.getJobNames().stream().sorted().map((name) -> {
			Job job = this.jobRegistry.getJob(name);
			return new JobRow(name, job != null && job.isRestartable());
		}).toList();
		model.addAttribute("jobs", jobs);
		return "dashboard/jobs";
	}

	@PostMapping("/jobs/{job}/launch")
	String launch(@PathVariable String job, @RequestParam(name = "key", required = false) List<String> keys,
			@RequestParam(name = "value", required = false) List<String> values, RedirectAttributes redirect) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (keys != null) {
			for (int i = 0; i < keys.size(); i++) {
				String key = keys.get(i).trim();
				if (!key.isEmpty()) {
					parameters.put(key, (values != null && i < values.size()) ? values.get(i) : "");
				}
			}
		}
		try {
			JobExecution execution = this.launchService.launch(new LaunchRequest(job, parameters));
			Flash.success(redirect, "Launched " + job + " as execution " + execution.getId());
			return "redirect:/executions/" + execution.getId();
		}
		catch (LaunchRefusedException ex) {
			Flash.error(redirect, "Not launched: " + ex.getMessage());
			return (ex.getExecutionId() != null) ? "redirect:/executions/" + ex.getExecutionId() : "redirect:/jobs";
		}
	}

}
