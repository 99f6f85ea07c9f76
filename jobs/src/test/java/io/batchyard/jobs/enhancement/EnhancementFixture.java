package io.batchyard.jobs.enhancement;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows of the enhancement tables, as the API would leave them.
 */
final class EnhancementFixture {

	private final JdbcTemplate jdbc;

	EnhancementFixture(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	void clear() {
		this.jdbc.update("DELETE FROM robot_result_validation_entry");
		this.jdbc.update("DELETE FROM robot_result_candidate");
		this.jdbc.update("DELETE FROM enhancement");
		this.jdbc.update("UPDATE pending_enhancement SET retry_of = NULL");
		this.jdbc.update("DELETE FROM pending_enhancement");
		this.jdbc.update("DELETE FROM robot_enhancement_batch");
		this.jdbc.update("DELETE FROM enhancement_request");
		this.jdbc.update("DELETE FROM reference");
	}

	void references(List<UUID> ids) {
		for (UUID id : ids) {
			this.jdbc.update("INSERT INTO reference (id, visibility, identifiers, created_at) VALUES (?, ?, ?, ?)", id,
					"public", "[{\"identifier\":\"10.1000/182\",\"identifier_type\":\"doi\"}]",
					Timestamp.from(Instant.now()));
		}
	}

	/**
	 * A request for the references and one batch of all of them whose result was posted:
	 * status importing.
	 */
	UUID importingBatch(UUID requestId, UUID batchId, List<UUID> references) {
		Timestamp now = Timestamp.from(Instant.now());
		this.jdbc.update("INSERT INTO enhancement_request (id, robot_id, source, request_status, created_at,"
				+ " updated_at) VALUES (?, 'robot-1', 'test', 'processing', ?, ?)", requestId, now, now);
		this.jdbc.update(
				"INSERT INTO robot_enhancement_batch (id, robot_id, status, reference_data_key, result_key,"
						+ " expires_at, created_at, updated_at) VALUES (?, 'robot-1', 'importing', ?, ?, ?, ?, ?)",
				batchId, BlobKeys.referenceData(batchId), BlobKeys.robotResult(batchId),
				Timestamp.from(Instant.now().plusSeconds(600)), now, now);
		for (UUID reference : references) {
			this.jdbc.update(
					"INSERT INTO pending_enhancement (id, enhancement_request_id, reference_id, robot_id,"
							+ " status, batch_id, expires_at, retry_depth, created_at, updated_at)"
							+ " VALUES (?, ?, ?, 'robot-1', 'importing', ?, ?, 0, ?, ?)",
					UUID.randomUUID(), requestId, reference, batchId, Timestamp.from(Instant.now().plusSeconds(600)),
					now, now);
		}
		return batchId;
	}

	static String annotation(UUID reference, String label) {
		return "{\"reference_id\":\"" + reference + "\",\"source\":\"robot-1\",\"visibility\":\"public\","
				+ "\"robot_version\":\"1.0\",\"content\":{\"enhancement_type\":\"annotation\",\"annotations\":"
				+ "[{\"annotation_type\":\"boolean\",\"scheme\":\"inclusion:destiny\",\"label\":\"" + label
				+ "\",\"value\":true,\"score\":0.93,\"data\":{}}]}}";
	}

	static String robotError(UUID reference, String message) {
		return "{\"reference_id\":\"" + reference + "\",\"message\":\"" + message + "\"}";
	}

}
