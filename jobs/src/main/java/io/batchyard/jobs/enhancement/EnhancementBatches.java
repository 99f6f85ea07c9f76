package io.batchyard.jobs.enhancement;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads and moves robot enhancement batches and their requests: the statuses the import
 * job and the API share.
 */
public class EnhancementBatches {

	private final JdbcTemplate jdbc;

	private final Clock clock;

	public EnhancementBatches(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * A batch.
	 *
	 * @param id the id
	 * @param robotId the robot
	 * @param status its status
	 * @param referenceDataKey the blob of its references
	 * @param resultKey the blob the robot uploads its result to
	 * @param validationResultKey the blob of the validation report, or {@code null}
	 * @param error the batch's error, or {@code null}
	 * @param expiresAt when its lease expires
	 */
	public record Batch(UUID id, String robotId, String status, String referenceDataKey, String resultKey,
			String validationResultKey, String error, java.time.Instant expiresAt) {

	}

	public Optional<Batch> find(UUID batchId) {
		return this.jdbc.query(
				"SELECT id, robot_id, status, reference_data_key, result_key, validation_result_key, error,"
						+ " expires_at FROM robot_enhancement_batch WHERE id = ?",
				(rs, row) -> new Batch(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
						rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant()),
				batchId)
			.stream()
			.findFirst();
	}

	/**
	 * The batch's status and the stored status of every request it touched, projected
	 * from their pending enhancements.
	 * @param batchId the batch
	 * @param validationResultKey the blob of the validation report, or {@code null} to
	 * keep the one stored
	 * @param error an error to store on the batch, or {@code null}
	 * @return the batch's new status
	 */
	public RequestStatus settle(UUID batchId, String validationResultKey, String error) {
		Timestamp now = Timestamp.from(this.clock.instant());
		List<PendingStatus> statuses = new ArrayList<>();
		this.jdbc.query("SELECT DISTINCT status FROM pending_enhancement WHERE batch_id = ?", (rs) -> {
			statuses.add(PendingStatus.of(rs.getString(1)));
		}, batchId);
		RequestStatus status = RequestStatus.project(statuses, RequestStatus.FAILED);
		this.jdbc.update(
				"UPDATE robot_enhancement_batch SET status = ?, validation_result_key = COALESCE(?,"
						+ " validation_result_key), error = COALESCE(?, error), updated_at = ? WHERE id = ?",
				status.value(), validationResultKey, error, now, batchId);
		List<UUID> requests = this.jdbc.queryForList(
				"SELECT DISTINCT enhancement_request_id FROM pending_enhancement WHERE batch_id = ?", UUID.class,
				batchId);
		for (UUID request : requests) {
			settleRequest(request);
		}
		return status;
	}

	/**
	 * Stores a request's status as projected from its pending enhancements.
	 * @param requestId the request
	 * @return the status
	 */
	public RequestStatus settleRequest(UUID requestId) {
		List<PendingStatus> statuses = new ArrayList<>();
		this.jdbc.query("SELECT DISTINCT status FROM pending_enhancement WHERE enhancement_request_id = ?", (rs) -> {
			statuses.add(PendingStatus.of(rs.getString(1)));
		}, requestId);
		RequestStatus stored = RequestStatus.of(this.jdbc
			.queryForObject("SELECT request_status FROM enhancement_request WHERE id = ?", String.class, requestId));
		RequestStatus status = RequestStatus.project(statuses, stored);
		if (status != stored) {
			this.jdbc.update("UPDATE enhancement_request SET request_status = ?, updated_at = ? WHERE id = ?",
					status.value(), Timestamp.from(this.clock.instant()), requestId);
		}
		return status;
	}

}
