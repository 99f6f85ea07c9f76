package io.batchyard.jobs.housekeeping;

/**
 * A finished job execution whose metadata may be deleted.
 *
 * @param jobExecutionId the execution
 * @param jobInstanceId its instance, deleted with its last execution
 * @param jobName the job, for the log
 */
public record PurgeCandidate(long jobExecutionId, long jobInstanceId, String jobName) {

}
