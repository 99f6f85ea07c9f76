package io.batchyard.launcher.launch;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Supplier;

import io.batchyard.launcher.executions.ExitDescriptions;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * What becomes of the work an execution was given, for the views of a job's own records
 * (an image batch's status, for one): it goes on, it completed, or it ended unfinished
 * and nothing will resume it on its own. Decided here, from the execution's status, so
 * that every such view follows its execution the same way; a policy of automatic restarts
 * adds its own kind (ended, to be restarted) here and the views follow it without change.
 *
 * @param kind what becomes of the work
 * @param executionId the execution
 * @param endedAt when it ended, or {@code null} while it runs
 * @param reason why it ended unfinished, in words for the clients of the job's own API
 * (no internals: a failure's exception stays in the server log); {@code null} otherwise
 * @param failure the first line of its exit description as the executions API shows it
 * (one sentence, never a stack trace: a job's own report such as "Database failure (after
 * retries): ...", or the root cause's type and message) when it ended unfinished and has
 * one; {@code null} otherwise
 */
public record ExecutionFate(Kind kind, long executionId, Instant endedAt, String reason, String failure) {

	/**
	 * What becomes of the work.
	 */
	public enum Kind {

		/** Starting, started or stopping: the work goes on, or is being wound down. */
		RUNNING,

		/** The work is done. */
		COMPLETED,

		/**
		 * Ended unfinished, and the restart policy restarts it automatically: the work
		 * goes on without anyone acting.
		 */
		RESTART_PENDING,

		/**
		 * Failed, stopped, abandoned or unknown, and nothing restarts it on its own: only
		 * an operator can, where its status allows.
		 */
		ENDED_UNFINISHED

	}

	/**
	 * The fate of an execution.
	 * @param execution the execution (for a job instance's work, its last one)
	 * @param state what may be done to it ({@link JobLaunchService#state}); asked only
	 * when it ended unfinished
	 * @param restart what the restart policy decided for it; asked only when it ended
	 * FAILED or STOPPED
	 * @return its fate
	 */
	static ExecutionFate of(JobExecution execution, Supplier<ExecutionState> state,
			Supplier<Optional<RestartStatus>> restart) {
		BatchStatus status = execution.getStatus();
		long id = execution.getId();
		if (status.isRunning()) {
			return new ExecutionFate(Kind.RUNNING, id, null, null, null);
		}
		Instant endedAt = (execution.getEndTime() != null)
				? execution.getEndTime().atZone(ZoneId.systemDefault()).toInstant() : null;
		if (status == BatchStatus.COMPLETED) {
			return new ExecutionFate(Kind.COMPLETED, id, endedAt, null, null);
		}
		ExecutionState current = state.get();
		if (current.status().isRunning()) {
			// Marked STOPPED by another client while its step finishes its chunk.
			return new ExecutionFate(Kind.RUNNING, id, null, null, null);
		}
		Optional<RestartStatus> policy = (status == BatchStatus.FAILED || status == BatchStatus.STOPPED) ? restart.get()
				: Optional.empty();
		if (policy.isPresent() && policy.get().pending()) {
			return new ExecutionFate(Kind.RESTART_PENDING, id, endedAt, policy.get().describe(), failure(execution));
		}
		boolean restartable = current.allowedActions().contains(ExecutionAction.RESTART);
		String why = policy.filter((decision) -> decision.detail() != null)
			.map((decision) -> " (" + decision.detail() + ")")
			.orElse("");
		String then = restartable ? "; it is not restarted automatically" + why + ", an operator can restart it"
				: "; it will not be restarted";
		String reason = switch (status) {
			case FAILED ->
				interrupted(execution)
						? "job execution " + id
								+ " was interrupted (the node running it stopped) and recovered as failed" + then
						: "job execution " + id + " failed (the server log has the details)" + then;
			case STOPPED -> "job execution " + id + " was stopped before it finished" + then;
			case ABANDONED -> "job execution " + id + " was abandoned by an operator" + then;
			default -> "job execution " + id + " ended in an unknown state" + then;
		};
		return new ExecutionFate(Kind.ENDED_UNFINISHED, id, endedAt, reason, failure(execution));
	}

	/**
	 * Whether a FAILED execution never finished on its own: recovery
	 * ({@code JobOperator.recover}) marks it FAILED but leaves the exit status the
	 * running execution had, which a job that ends sets to its outcome.
	 */
	private static boolean interrupted(JobExecution execution) {
		String exitCode = execution.getExitStatus().getExitCode();
		return ExitStatus.EXECUTING.getExitCode().equals(exitCode) || ExitStatus.UNKNOWN.getExitCode().equals(exitCode);
	}

	private static String failure(JobExecution execution) {
		return ExitDescriptions.firstLine(execution);
	}

	public boolean endedUnfinished() {
		return this.kind == Kind.ENDED_UNFINISHED;
	}

	/**
	 * Why the work ended unfinished, for a domain record's error: the failure's first
	 * line, when there is one, then the reason.
	 * @return the explanation, {@code null} unless it ended unfinished
	 */
	public String explanation() {
		if (this.kind != Kind.ENDED_UNFINISHED) {
			return null;
		}
		return (this.failure != null) ? this.failure + " (" + this.reason + ")" : this.reason;
	}

}
