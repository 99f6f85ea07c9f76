package io.batchyard.jobs.housekeeping;

/**
 * Rows removed from the job repository.
 *
 * @param jobExecutions job executions deleted
 * @param jobInstances job instances deleted (their last execution was deleted)
 * @param rows every metadata row deleted: executions, instances, parameters, step
 * executions and execution contexts
 */
public record PurgeCounts(long jobExecutions, long jobInstances, long rows) {

	public static final PurgeCounts NONE = new PurgeCounts(0, 0, 0);

	public PurgeCounts plus(PurgeCounts other) {
		return new PurgeCounts(this.jobExecutions + other.jobExecutions, this.jobInstances + other.jobInstances,
				this.rows + other.rows);
	}

	public String describe() {
		return "Removed " + this.rows + " job-repository rows: " + this.jobExecutions + " job executions, "
				+ this.jobInstances + " job instances";
	}

}
