package io.batchyard.launcher.dashboard.executions;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * A Gantt chart of every step execution of one job instance, across its restarts: one bar
 * per step execution, placed in percent of the span from the first start to the last end
 * (or now, while running).
 *
 * @param bars the bars, in start order
 * @param start the span's start
 * @param end the span's end
 */
record Timeline(List<Bar> bars, LocalDateTime start, LocalDateTime end) {

	/**
	 * One step execution.
	 *
	 * @param executionId its job execution
	 * @param step the step name
	 * @param status its status
	 * @param left where the bar starts, percent
	 * @param width how long it is, percent (at least a sliver, so an instant step shows)
	 * @param start its start
	 * @param end its end, or {@code null} while running
	 */
	record Bar(long executionId, String step, String status, String left, String width, LocalDateTime start,
			LocalDateTime end) {
	}

	static Timeline of(List<JobExecution> executions) {
		List<StepExecution> steps = executions.stream()
			.flatMap((execution) -> execution.getStepExecutions().stream())
			.filter((step) -> step.getStartTime() != null)
			.sorted(Comparator.comparing(StepExecution::getStartTime).thenComparing(StepExecution::getId))
			.toList();
		if (steps.isEmpty()) {
			return new Timeline(List.of(), null, null);
		}
		LocalDateTime now = LocalDateTime.now();
		LocalDateTime start = steps.get(0).getStartTime();
		LocalDateTime end = steps.stream()
			.map((step) -> (step.getEndTime() != null) ? step.getEndTime() : now)
			.max(Comparator.naturalOrder())
			.orElse(now);
		double span = Math.max(1, Duration.between(start, end).toMillis());
		List<Bar> bars = new ArrayList<>();
		for (StepExecution step : steps) {
			LocalDateTime stepEnd = (step.getEndTime() != null) ? step.getEndTime() : now;
			double left = Duration.between(start, step.getStartTime()).toMillis() * 100 / span;
			double width = Math.max(0.5, Duration.between(step.getStartTime(), stepEnd).toMillis() * 100 / span);
			bars.add(new Bar(step.getJobExecutionId(), step.getStepName(), step.getStatus().name(), percent(left),
					percent(Math.min(width, 100 - left)), step.getStartTime(), step.getEndTime()));
		}
		return new Timeline(bars, start, end);
	}

	private static String percent(double value) {
		return String.format(Locale.ROOT, "%.2f%%", Math.max(0, value));
	}

}
