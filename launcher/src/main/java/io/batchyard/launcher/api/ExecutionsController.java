package io.batchyard.launcher.api;

import java.net.URI;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

import io.batchyard.launcher.api.ApiViews.ExecutionSummary;
import io.batchyard.launcher.api.ApiViews.ExecutionView;
import io.batchyard.launcher.api.ApiViews.LaunchView;
import io.batchyard.launcher.api.ApiViews.PageView;
import io.batchyard.launcher.launch.ExecutionAction;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;
import io.batchyard.launcher.launch.LaunchRefusedException.Reason;
import io.batchyard.launcher.runner.RunnerNode;
import io.batchyard.launcher.unattended.AutomaticRestarts;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Job executions: the list, one execution, and the actions on it.
 */
@RestController
@RequestMapping("/api/executions")
class ExecutionsController {

	private static final int MAX_PAGE_SIZE = 500;

	private final JobLaunchService launchService;

	private final ExecutionQueries queries;

	private final AutomaticRestarts automaticRestarts;

	private final RunnerNode node;

	ExecutionsController(JobLaunchService launchService, ExecutionQueries queries, AutomaticRestarts automaticRestarts,
			RunnerNode node) {
		this.node = node;
		this.launchService = launchService;
		this.queries = queries;
		this.automaticRestarts = automaticRestarts;
	}

	@GetMapping
	PageView<ExecutionSummary> executions(@RequestParam(required = false) String job,
			@RequestParam(required = false) String status, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
			throw new IllegalArgumentException("page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
		}
		ExecutionQueries.Filter filter = new ExecutionQueries.Filter(blankToNull(job), status(status),
				time("from", from), time("to", to));
		return this.queries.find(filter, page, size);
	}

	@GetMapping("/{id}")
	ExecutionView execution(@PathVariable long id) {
		JobExecution execution = this.launchService.execution(id);
		return ExecutionView.of(execution, this.launchService.state(execution).allowedActions(),
				this.automaticRestarts.status(id).orElse(null), this.node.nodesOf(id));
	}

	/**
	 * Cancels the pending automatic restarts of the execution's instance; later failures
	 * of it are not restarted automatically either.
	 * @param id any execution of the instance
	 * @param principal who cancels
	 * @return the execution, with what the policy now says
	 */
	@PostMapping("/{id}/restart-policy/cancel")
	ExecutionView cancelAutomaticRestarts(@PathVariable long id, java.security.Principal principal) {
		this.automaticRestarts.cancel(id, (principal != null) ? principal.getName() : "unknown");
		return execution(id);
	}

	@PostMapping("/{id}/{action}")
	ResponseEntity<LaunchView> act(@PathVariable long id, @PathVariable String action) {
		ExecutionAction executionAction = ExecutionAction.fromPath(action);
		if (executionAction == null) {
			throw new LaunchRefusedException(Reason.UNKNOWN_EXECUTION,
					"No action '" + action + "': use restart, stop, abandon or recover");
		}
		JobExecution result = this.launchService.act(id, executionAction);
		if (executionAction == ExecutionAction.RESTART) {
			return ResponseEntity.accepted()
				.location(URI.create("/api/executions/" + result.getId()))
				.body(LaunchView.of(result));
		}
		return ResponseEntity.status(HttpStatus.OK).body(LaunchView.of(result));
	}

	private static String status(String status) {
		if (status == null || status.isBlank()) {
			return null;
		}
		try {
			return BatchStatus.valueOf(status.trim().toUpperCase(java.util.Locale.ROOT)).name();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"Unknown status '" + status + "': use one of " + java.util.Arrays.toString(BatchStatus.values()));
		}
	}

	/**
	 * Accepts an ISO date ({@code 2026-11-23}, midnight in the server's zone) or
	 * date-time with offset ({@code 2026-11-23T10:00:00Z}).
	 */
	private static LocalDateTime time(String name, String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			if (value.length() == 10) {
				return LocalDate.parse(value).atStartOfDay();
			}
			return OffsetDateTime.parse(value).atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime();
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException(
					"'" + name + "' must be an ISO date (2026-11-23) or date-time with offset"
							+ " (2026-11-23T10:00:00Z), not '" + value + "'");
		}
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
