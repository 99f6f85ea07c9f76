package io.batchyard.launcher.api;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.batchyard.jobs.launch.ParameterDeclaration;
import io.batchyard.launcher.catalogue.JobTriggers;
import io.batchyard.launcher.executions.ExitDescriptions;
import io.batchyard.launcher.launch.ExecutionAction;
import io.batchyard.launcher.launch.RestartStatus;
import io.batchyard.launcher.runner.RunnerNode;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.step.StepExecution;

/**
 * The JSON shapes of the API. Exit descriptions are the cause in one sentence
 * ({@link ExitDescriptions}), never a stack trace.
 */
final class ApiViews {

	private ApiViews() {
	}

	record JobView(String name, String description, boolean restartable, ExecutionSummary lastExecution) {
	}

	/**
	 * A job as its description declares it, and what starts it.
	 */
	record JobDetailView(String name, String description, boolean restartable, List<DeclaredParameterView> parameters,
			List<ScheduleView> schedules, List<QueueTriggerView> queueTriggers, ExecutionSummary lastExecution) {
	}

	/**
	 * One declared parameter. {@code type} is the class name Spring Batch's notation
	 * uses; {@code pattern} the regular expression a value matches when the parameter has
	 * a format.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record DeclaredParameterView(String name, String type, boolean required, boolean identifying, String defaultValue,
			String description, String example, String format, String pattern, List<String> alternatives,
			String setBy) {

		static DeclaredParameterView of(ParameterDeclaration parameter) {
			return new DeclaredParameterView(parameter.name(), parameter.type().getName(), parameter.required(),
					parameter.identifying(),
					(parameter.defaultValue() != null) ? parameter.defaultValue().describe() : null,
					parameter.description(), parameter.example(),
					(parameter.format() != null) ? parameter.format().description() : null,
					(parameter.format() != null) ? parameter.format().pattern() : null, parameter.alternatives(),
					parameter.setBy());
		}

	}

	record ScheduleView(String name, String cron, boolean enabled, boolean firesOnThisNode, OffsetDateTime nextFireTime,
			Map<String, String> parameters) {

		static ScheduleView of(JobTriggers.Schedule schedule) {
			return new ScheduleView(schedule.name(), schedule.cron(), schedule.enabled(), schedule.firesOnThisNode(),
					(schedule.nextFireTime() != null)
							? schedule.nextFireTime().atZone(ZoneId.systemDefault()).toOffsetDateTime() : null,
					schedule.parameters());
		}

	}

	record QueueTriggerView(String name, String queue, boolean anyJob, boolean listening) {

		static QueueTriggerView of(JobTriggers.Queue queue) {
			return new QueueTriggerView(queue.name(), queue.queue(), queue.anyJob(), queue.listening());
		}

	}

	record ExecutionSummary(long id, String job, long instanceId, String status, String exitCode,
			OffsetDateTime createTime, OffsetDateTime startTime, OffsetDateTime endTime, long skipCount) {
	}

	record ParameterView(String name, String value, String type, boolean identifying) {

		static ParameterView of(JobParameter<?> parameter) {
			return new ParameterView(parameter.name(), String.valueOf(parameter.value()), parameter.type().getName(),
					parameter.identifying());
		}

	}

	record StepView(long id, String name, String status, long readCount, long writeCount, long filterCount,
			long readSkipCount, long processSkipCount, long writeSkipCount, long skipCount, long commitCount,
			long rollbackCount, String exitCode, String exitDescription, OffsetDateTime startTime,
			OffsetDateTime endTime, String node) {

		static StepView of(StepExecution step, String node) {
			return new StepView(step.getId(), step.getStepName(), step.getStatus().name(), step.getReadCount(),
					step.getWriteCount(), step.getFilterCount(), step.getReadSkipCount(), step.getProcessSkipCount(),
					step.getWriteSkipCount(), step.getSkipCount(), step.getCommitCount(), step.getRollbackCount(),
					step.getExitStatus().getExitCode(),
					ExitDescriptions.summary(step.getExitStatus().getExitDescription()), time(step.getStartTime()),
					time(step.getEndTime()), node);
		}

	}

	/**
	 * What the restart policy decided for a FAILED or STOPPED execution.
	 */
	record AutomaticRestartView(String state, String category, int attempt, int maxAttempts, OffsetDateTime dueAt,
			Long restartExecutionId, String description) {

		static AutomaticRestartView of(RestartStatus status) {
			return new AutomaticRestartView(status.state(), status.category(), status.attempt(), status.maxAttempts(),
					(status.dueAt() != null) ? status.dueAt().atZone(ZoneId.systemDefault()).toOffsetDateTime() : null,
					status.restartExecutionId(), status.describe());
		}

	}

	record ExecutionView(long id, String job, long instanceId, String status, String exitCode, String exitDescription,
			OffsetDateTime createTime, OffsetDateTime startTime, OffsetDateTime endTime, OffsetDateTime lastUpdated,
			String node, List<ParameterView> parameters, List<StepView> steps, List<String> allowedActions,
			AutomaticRestartView automaticRestart) {

		static ExecutionView of(JobExecution execution, Set<ExecutionAction> actions, RestartStatus restart,
				RunnerNode.ExecutionNodes nodes) {
			List<ParameterView> parameters = execution.getJobParameters()
				.parameters()
				.stream()
				.map(ParameterView::of)
				.sorted(Comparator.comparing(ParameterView::name))
				.toList();
			List<StepView> steps = execution.getStepExecutions()
				.stream()
				.sorted(Comparator.comparing(StepExecution::getId))
				.map((step) -> StepView.of(step, nodes.of(step.getId())))
				.toList();
			return new ExecutionView(execution.getId(), execution.getJobInstance().getJobName(),
					execution.getJobInstance().getInstanceId(), execution.getStatus().name(),
					execution.getExitStatus().getExitCode(),
					ExitDescriptions.summary(execution.getExitStatus().getExitDescription()),
					time(execution.getCreateTime()), time(execution.getStartTime()), time(execution.getEndTime()),
					time(execution.getLastUpdated()), nodes.node(), parameters, steps,
					actions.stream().sorted().map(ExecutionAction::path).toList(),
					(restart != null) ? AutomaticRestartView.of(restart) : null);
		}

	}

	record LaunchView(long executionId, String job, String status) {

		static LaunchView of(JobExecution execution) {
			return new LaunchView(execution.getId(), execution.getJobInstance().getJobName(),
					execution.getStatus().name());
		}

	}

	record PageView<T>(List<T> content, int page, int size, long totalElements, long totalPages) {
	}

	/**
	 * Spring Batch stores local date-times in the JVM's zone; the API answers with
	 * offsets.
	 */
	static OffsetDateTime time(LocalDateTime time) {
		return (time != null) ? time.atZone(ZoneId.systemDefault()).toOffsetDateTime() : null;
	}

}
