package io.batchyard.launcher.launch;

import java.util.Locale;

/**
 * What an operator can do to a job execution.
 */
public enum ExecutionAction {

	/**
	 * Start a new execution of a FAILED or STOPPED instance, resuming its failed step.
	 */
	RESTART,
	/** Ask a running execution to stop at its next chunk boundary (it ends STOPPED). */
	STOP,
	/** Give up on a FAILED or STOPPED execution: it can never be restarted. */
	ABANDON,
	/** Mark an execution whose runner died as FAILED, so it can be restarted. */
	RECOVER;

	public String path() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static ExecutionAction fromPath(String path) {
		for (ExecutionAction action : values()) {
			if (action.path().equals(path)) {
				return action;
			}
		}
		return null;
	}

}
