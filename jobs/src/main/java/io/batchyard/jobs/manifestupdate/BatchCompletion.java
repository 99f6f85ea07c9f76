package io.batchyard.jobs.manifestupdate;

import java.time.OffsetDateTime;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Step 1 of {@code manifestUpdateJob}: records that a DLCS batch finished, and decides
 * whether this batch's manifest is ready to be updated (no other batch of it is still
 * ingesting).
 */
public class BatchCompletion {

	private static final Log logger = LogFactory.getLog(BatchCompletion.class);

	/**
	 * The status of a batch whose completion is recorded (iiif-presentation's
	 * {@code BatchStatus.Completed}).
	 */
	public static final String COMPLETED = "Completed";

	/**
	 * What recording the completion found.
	 */
	public enum Outcome {

		/** The batch is not tracked: nothing to update. */
		UNKNOWN_BATCH,

		/** The batch was completed before: nothing changes. */
		ALREADY_COMPLETED,

		/** Another batch of the same manifest is still ingesting: this one is marked. */
		OTHER_BATCHES_INGESTING,

		/** This is the manifest's last batch: go on and update it. */
		LAST_BATCH

	}

	private final JdbcTemplate jdbc;

	public BatchCompletion(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records the completion of a batch.
	 * @param customer the customer
	 * @param batch the DLCS batch id
	 * @param finished when the DLCS finished the batch, if the notification said
	 * @param now the processing time
	 * @return the outcome
	 */
	public Outcome record(long customer, long batch, OffsetDateTime finished, OffsetDateTime now) {
		List<BatchRow> rows = this.jdbc.query(
				"SELECT status, manifest_id FROM batches WHERE id = ? AND customer_id = ?",
				(rs, i) -> new BatchRow(rs.getString(1), rs.getString(2)), batch, customer);
		if (rows.isEmpty()) {
			logger.warn("DLCS batch " + batch + " of customer " + customer
					+ " is not tracked by any manifest: nothing to update");
			return Outcome.UNKNOWN_BATCH;
		}
		BatchRow row = rows.get(0);
		if (COMPLETED.equals(row.status())) {
			logger.info("DLCS batch " + batch + " of customer " + customer + " was completed before: nothing changes");
			return Outcome.ALREADY_COMPLETED;
		}
		Integer others = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM batches WHERE manifest_id = ? AND customer_id = ? AND id <> ? AND status <> ?",
				Integer.class, row.manifestId(), customer, batch, COMPLETED);
		if (others != null && others > 0) {
			this.jdbc.update(
					"UPDATE batches SET status = ?, processed = ?, finished = COALESCE(?, finished) WHERE id = ?",
					COMPLETED, now, finished, batch);
			logger.info("DLCS batch " + batch + " completed; manifest " + row.manifestId() + " still has " + others
					+ " batch(es) ingesting");
			return Outcome.OTHER_BATCHES_INGESTING;
		}
		this.jdbc.update("UPDATE batches SET finished = COALESCE(?, finished) WHERE id = ?", finished, batch);
		return Outcome.LAST_BATCH;
	}

	/**
	 * The manifest a batch belongs to.
	 * @param customer the customer
	 * @param batch the batch
	 * @return the manifest id
	 */
	public String manifestOf(long customer, long batch) {
		return this.jdbc.queryForObject("SELECT manifest_id FROM batches WHERE id = ? AND customer_id = ?",
				String.class, batch, customer);
	}

	private record BatchRow(String status, String manifestId) {
	}

}
