package io.batchyard.jobs.housekeeping;

import java.util.Collection;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Deletes the metadata of job executions, children first, in the caller's transaction.
 * Instances left without executions are deleted too.
 */
public class JobMetadataPurger {

	private final NamedParameterJdbcTemplate jdbc;

	private final String prefix;

	public JobMetadataPurger(NamedParameterJdbcTemplate jdbc, String tablePrefix) {
		this.jdbc = jdbc;
		this.prefix = tablePrefix;
	}

	/**
	 * Deletes the given executions and every instance they leave empty.
	 * @param jobExecutionIds the executions
	 * @param jobInstanceIds their instances
	 * @return what was removed
	 */
	public PurgeCounts purge(Collection<Long> jobExecutionIds, Collection<Long> jobInstanceIds) {
		if (jobExecutionIds.isEmpty()) {
			return PurgeCounts.NONE;
		}
		Map<String, Object> executions = Map.of("ids", jobExecutionIds);
		long rows = delete("STEP_EXECUTION_CONTEXT WHERE STEP_EXECUTION_ID IN (SELECT STEP_EXECUTION_ID FROM "
				+ this.prefix + "STEP_EXECUTION WHERE JOB_EXECUTION_ID IN (:ids))", executions);
		rows += delete("STEP_EXECUTION WHERE JOB_EXECUTION_ID IN (:ids)", executions);
		rows += delete("JOB_EXECUTION_CONTEXT WHERE JOB_EXECUTION_ID IN (:ids)", executions);
		rows += delete("JOB_EXECUTION_PARAMS WHERE JOB_EXECUTION_ID IN (:ids)", executions);
		long deletedExecutions = delete("JOB_EXECUTION WHERE JOB_EXECUTION_ID IN (:ids)", executions);
		long deletedInstances = delete(
				"JOB_INSTANCE I WHERE I.JOB_INSTANCE_ID IN (:ids) AND NOT EXISTS (SELECT 1 FROM " + this.prefix
						+ "JOB_EXECUTION E WHERE E.JOB_INSTANCE_ID = I.JOB_INSTANCE_ID)",
				Map.of("ids", jobInstanceIds));
		return new PurgeCounts(deletedExecutions, deletedInstances, rows + deletedExecutions + deletedInstances);
	}

	private long delete(String tableAndCondition, Map<String, Object> parameters) {
		return this.jdbc.update("DELETE FROM " + this.prefix + tableAndCondition, parameters);
	}

}
