package io.batchyard.launcher.launch;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Job instances without any execution. Spring Batch 6 creates an instance and its first
 * execution in separate transactions, so a launch whose execution could not be stored (a
 * parameter too long for its column, a crash between the two) leaves an instance behind,
 * and every later launch with the same identifying parameters finds it and fails with
 * "Cannot find any job execution". Launches now check the columns' limits first; this
 * removes what older versions, crashes or other clients left, when the node starts. An
 * instance another node has just created is safe to remove too: its launch fails on the
 * foreign key and {@link JobLaunchService} tries again from the start.
 */
public class OrphanInstances implements InitializingBean {

	private static final Log logger = LogFactory.getLog(OrphanInstances.class);

	private final JdbcTemplate jdbc;

	public OrphanInstances(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void afterPropertiesSet() {
		deleteAll();
	}

	/**
	 * Deletes every job instance that has no execution.
	 * @return how many were deleted
	 */
	public int deleteAll() {
		int deleted = this.jdbc.update("DELETE FROM BATCH_JOB_INSTANCE I WHERE NOT EXISTS"
				+ " (SELECT 1 FROM BATCH_JOB_EXECUTION E WHERE E.JOB_INSTANCE_ID = I.JOB_INSTANCE_ID)");
		if (deleted > 0) {
			logger.warn("Removed " + deleted + " job instance(s) left without an execution by an interrupted launch");
		}
		return deleted;
	}

}
