package io.batchyard.launcher.dashboard.executions;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.batchyard.launcher.dashboard.Flash;
import io.batchyard.launcher.launch.ExecutionAction;
import io.batchyard.launcher.launch.ExecutionState;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.runner.RunnerNode;
import io.batchyard.launcher.unattended.AutomaticRestarts;
import io.batchyard.launcher.launch.LaunchRefusedException;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The executions list, one execution (parameters, steps, timeline, live progress) and the
 * actions on it. Actions are offered only as {@link ExecutionState#allowedActions()}
 * says, and carried out by the {@link JobLaunchService}, which refuses the rest.
 */
@Controller
class ExecutionsPageController {

	private static final int PAGE_SIZE = 25;

	private final ExecutionRows rows;

	private final JobLaunchService launchService;

	private final JobRepository jobRepository;

	private final ProgressStream progress;

	private final JobRegistry jobRegistry;

	private final AutomaticRestarts automaticRestarts;

	private final RunnerNode node;

	ExecutionsPageController(ExecutionRows rows, JobLaunchService launchService, JobRepository jobRepository,
			ProgressStream progress, JobRegistry jobRegistry, AutomaticRestarts automaticRestarts, RunnerNode node) {
		this.node = node;
		this.automaticRestarts = automaticRestarts;
		this.jobRegistry = jobRegistry;
		this.rows = rows;
		this.launchService = launchService;
		this.jobRepository = jobRepository;
		this.progress = progress;
	}

	@GetMapping("/executions")
	String executions(@RequestParam(required = false) String job, @RequestParam(required = false) String status,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String parameter, @RequestParam(defaultValue = "0") int page, Model model) {
		ExecutionRows.Filter filter;
		try {
			filter = new ExecutionRows.Filter(blankToNull(job), status(status), date(from),
					(date(to) != null) ? date(to).plusDays(1) : null, blankToNull(parameter));
		}
		catch (IllegalArgumentException ex) {
			model.addAttribute("flashKind", "error");
			model.addAttribute("flash", ex.getMessage());
			filter = new ExecutionRows.Filter(null, null, null, null, null);
		}
		model.addAttribute("page", this.rows.find(filter, Math.max(0, page), PAGE_SIZE));
		model.addAttribute("filter", filter);
		// The registered jobs (a DISTINCT over every instance costs more than the page).
		java.util.SortedSet<String> jobNames = new java.util.TreeSet<>(this.jobRegistry.getJobNames());
		if (filter.job() != null) {
			jobNames.add(filter.job());
		}
		model.addAttribute("jobNames", jobNames);
		model.addAttribute("statuses", Arrays.stream(BatchStatus.values()).map(Enum::name).toList());
		model.addAttribute("query", Map.of("job", str(job), "status", str(status), "from", str(from), "to", str(to),
				"parameter", str(parameter)));
		return "dashboard/executions";
	}

	@GetMapping("/executions/{id}")
	String execution(@PathVariable long id, Model model, RedirectAttributes redirect) {
		JobExecution execution;
		try {
			execution = this.launchService.execution(id);
		}
		catch (LaunchRefusedException ex) {
			Flash.error(redirect, ex.getMessage());
			return "redirect:/executions";
		}
		ExecutionState state = this.launchService.state(execution);
		List<JobExecution> instanceExecutions = this.jobRepository.getJobExecutions(execution.getJobInstance())
			.stream()
			.sorted(Comparator.comparing(JobExecution::getId))
			.toList();
		model.addAttribute("execution", execution);
		model.addAttribute("state", state);
		model.addAttribute("actions", state.allowedActions().stream().sorted().map(ExecutionAction::path).toList());
		model.addAttribute("parameters",
				execution.getJobParameters()
					.parameters()
					.stream()
					.sorted(Comparator.comparing(JobParameter::name))
					.toList());
		List<StepExecution> steps = execution.getStepExecutions()
			.stream()
			.sorted(Comparator.comparing(StepExecution::getId))
			.toList();
		Map<Long, Map<String, Object>> contexts = new TreeMap<>();
		steps.forEach((step) -> contexts.put(step.getId(), context(step)));
		model.addAttribute("steps", steps);
		model.addAttribute("contexts", contexts);
		model.addAttribute("instanceExecutions", instanceExecutions);
		model.addAttribute("timeline", Timeline.of(instanceExecutions));
		model.addAttribute("running", this.progress.progress(id).running());
		model.addAttribute("automaticRestart", this.automaticRestarts.status(id).orElse(null));
		model.addAttribute("nodes", this.node.nodesOf(id));
		return "dashboard/execution";
	}

	@PostMapping("/executions/{id}/restart-policy/cancel")
	String cancelAutomaticRestarts(@PathVariable long id, java.security.Principal principal,
			RedirectAttributes redirect) {
		try {
			int cancelled = this.automaticRestarts.cancel(id, (principal != null) ? principal.getName() : "unknown");
			Flash.success(redirect, (cancelled > 0) ? "Automatic restarts of execution " + id + "'s instance cancelled"
					: "No automatic restart was pending; later failures of this instance are not restarted automatically");
		}
		catch (LaunchRefusedException ex) {
			Flash.error(redirect, ex.getMessage());
		}
		return "redirect:/executions/" + id;
	}

	@PostMapping("/executions/{id}/{action}")
	String act(@PathVariable long id, @PathVariable String action, RedirectAttributes redirect) {
		ExecutionAction executionAction = ExecutionAction.fromPath(action);
		if (executionAction == null) {
			Flash.error(redirect, "No action '" + action + "': use restart, stop, abandon or recover");
			return "redirect:/executions/" + id;
		}
		try {
			JobExecution result = this.launchService.act(id, executionAction);
			if (executionAction == ExecutionAction.RESTART) {
				Flash.success(redirect, "Execution " + id + " restarted as execution " + result.getId());
				return "redirect:/executions/" + result.getId();
			}
			Flash.success(redirect, "Execution " + id + ": " + action + " done, now " + result.getStatus());
		}
		catch (LaunchRefusedException ex) {
			Flash.error(redirect, ex.getMessage());
		}
		return "redirect:/executions/" + id;
	}

	@GetMapping("/executions/{id}/progress")
	SseEmitter progress(@PathVariable long id) {
		return this.progress.subscribe(id);
	}

	/**
	 * A step's ExecutionContext, sorted by key, for display.
	 * @param step the step execution
	 * @return its entries
	 */
	static Map<String, Object> context(StepExecution step) {
		Map<String, Object> entries = new TreeMap<>();
		step.getExecutionContext().entrySet().forEach((entry) -> entries.put(entry.getKey(), entry.getValue()));
		return entries;
	}

	private static String status(String status) {
		if (status == null || status.isBlank()) {
			return null;
		}
		try {
			return BatchStatus.valueOf(status.trim().toUpperCase(Locale.ROOT)).name();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Unknown status '" + status + "'");
		}
	}

	private static java.time.LocalDateTime date(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return LocalDate.parse(value.trim()).atStartOfDay();
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException("Dates are ISO dates such as 2026-11-23, not '" + value + "'");
		}
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	private static String str(String value) {
		return (value != null) ? value : "";
	}

}
