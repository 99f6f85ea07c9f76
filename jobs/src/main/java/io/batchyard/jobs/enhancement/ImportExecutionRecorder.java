package io.batchyard.jobs.enhancement;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Records on the robot enhancement batch the execution that imports it
 * ({@code robot_enhancement_batch.import_execution_id}, the dashboard's "Import" column)
 * as the execution starts. Here rather than where the robot's result is handed in, so
 * that every launch records it: the result API, a launch over REST or the command line, a
 * restart (which then points the batch at the newer execution). Only a batch that is
 * {@code importing} is touched: a launch for a batch that already finished fails in its
 * reader and must not replace the execution that did import it.
 */
public class ImportExecutionRecorder implements JobExecutionListener {

	private static final Log logger = LogFactory.getLog(ImportExecutionRecorder.class);

	private final JdbcTemplate jdbc;

	private final Clock clock;

	public ImportExecutionRecorder(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		String batch = jobExecution.getJobParameters().getString(EnhancementImportJobConfiguration.BATCH_ID);
		UUID batchId = UUID.fromString(batch);
		int updated = this.jdbc.update(
				"UPDATE robot_enhancement_batch SET import_execution_id = ?, updated_at = ? WHERE id = ?"
						+ " AND status = ?",
				jobExecution.getId(), Timestamp.from(this.clock.instant()), batchId, RequestStatus.IMPORTING.value());
		String job = jobExecution.getJobInstance().getJobName() + " execution " + jobExecution.getId();
		if (updated == 1) {
			logger.info(job + " imports robot enhancement batch " + batchId);
		}
		else {
			logger.warn(job + ": robot enhancement batch " + batchId
					+ " is not importing (or does not exist); its import execution is left as it was");
		}
	}

}
