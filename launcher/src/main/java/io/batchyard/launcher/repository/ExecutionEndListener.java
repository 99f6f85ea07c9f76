package io.batchyard.launcher.repository;

import org.springframework.batch.core.job.JobExecution;

/**
 * Told of every update of a job execution, inside the job repository's transaction that
 * writes it: what it writes commits with the execution's end (or recovery, stop or
 * abandon), or not at all. Called for every update of an execution, so it must tell an
 * end from other updates and be idempotent.
 */
public interface ExecutionEndListener {

	/**
	 * @param execution the execution just written
	 */
	void ended(JobExecution execution);

}
