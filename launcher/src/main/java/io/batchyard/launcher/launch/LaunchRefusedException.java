package io.batchyard.launcher.launch;

/**
 * A launch or an action that was not carried out, and why. Every trigger maps the reason
 * to its own answer: an HTTP status, a command-line exit code, acknowledging a queue
 * message or not.
 */
public class LaunchRefusedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Why a launch or action was refused.
	 */
	public enum Reason {

		/** No job of that name is registered. */
		UNKNOWN_JOB,
		/** No execution with that id. */
		UNKNOWN_EXECUTION,
		/** The parameters are malformed or the job's validator rejects them. */
		INVALID_PARAMETERS,
		/** An execution of the same instance is running: a duplicate. */
		ALREADY_RUNNING,
		/** The instance already completed (or was abandoned): a duplicate. */
		ALREADY_COMPLETE,
		/** The execution's state does not allow the action. */
		NOT_ALLOWED,
		/** This node is shutting down and takes no new work. */
		SHUTTING_DOWN;

		/**
		 * A duplicate is an accepted outcome for an at-least-once trigger.
		 * @return whether the request duplicated work that exists
		 */
		public boolean isDuplicate() {
			return this == ALREADY_RUNNING || this == ALREADY_COMPLETE;
		}

	}

	private final Reason reason;

	private final Long executionId;

	public LaunchRefusedException(Reason reason, String message) {
		this(reason, message, null);
	}

	public LaunchRefusedException(Reason reason, String message, Long executionId) {
		super(message);
		this.reason = reason;
		this.executionId = executionId;
	}

	public Reason getReason() {
		return this.reason;
	}

	/**
	 * The execution the refusal is about: the running or completed one for a duplicate.
	 * @return the execution id, or {@code null}
	 */
	public Long getExecutionId() {
		return this.executionId;
	}

}
