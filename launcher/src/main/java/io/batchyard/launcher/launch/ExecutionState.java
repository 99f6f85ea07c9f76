package io.batchyard.launcher.launch;

import java.util.EnumSet;
import java.util.Set;

import org.springframework.batch.core.BatchStatus;

/**
 * The facts about an execution that decide what may be done to it, and the one place
 * where that is decided (as the Data Flow server's {@code JobUtils}). The API and the
 * dashboard show only what {@link #allowedActions()} returns, and the launch service
 * refuses everything else.
 *
 * @param status the execution's status
 * @param lastOfInstance whether no later execution of its instance exists
 * @param jobRestartable whether its job is registered here and restartable
 * @param runnerAlive whether the node that runs (or last ran) it still sends heartbeats
 */
public record ExecutionState(BatchStatus status, boolean lastOfInstance, boolean jobRestartable, boolean runnerAlive) {

	public Set<ExecutionAction> allowedActions() {
		Set<ExecutionAction> actions = EnumSet.noneOf(ExecutionAction.class);
		if (this.status.isRunning()) {
			// A running execution on a live node is stopped; one whose node died is
			// recovered.
			if (!this.runnerAlive) {
				actions.add(ExecutionAction.RECOVER);
			}
			else if (this.status != BatchStatus.STOPPING) {
				actions.add(ExecutionAction.STOP);
			}
			return actions;
		}
		if (this.lastOfInstance && (this.status == BatchStatus.FAILED || this.status == BatchStatus.STOPPED)) {
			if (this.jobRestartable) {
				actions.add(ExecutionAction.RESTART);
			}
			actions.add(ExecutionAction.ABANDON);
		}
		if (this.lastOfInstance && this.status == BatchStatus.UNKNOWN) {
			actions.add(ExecutionAction.ABANDON);
		}
		return actions;
	}

	/**
	 * Says why an action is refused, for the 409 answer.
	 * @param action the refused action
	 * @return the reason
	 */
	public String refusal(ExecutionAction action) {
		return switch (action) {
			case STOP ->
				this.status.isRunning()
						? (this.status == BatchStatus.STOPPING ? "it is already stopping"
								: "its runner node stopped sending heartbeats; recover it instead")
						: "it is not running";
			case RECOVER -> this.status.isRunning() ? "it is still running on a live runner node"
					: "it is not running (status " + this.status + ")";
			case RESTART -> !this.lastOfInstance ? "a later execution of the same instance exists"
					: (this.status == BatchStatus.FAILED || this.status == BatchStatus.STOPPED)
							? "its job is not registered here or is not restartable"
							: "only a FAILED or STOPPED execution can be restarted";
			case ABANDON -> !this.lastOfInstance ? "a later execution of the same instance exists"
					: "only a FAILED, STOPPED or UNKNOWN execution can be abandoned";
		};
	}

}
