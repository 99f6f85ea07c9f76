package io.batchyard.jobs.enhancement;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.batchyard.readers.blob.BlobStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What robots do with batches: claim pending references under a lease (the references'
 * JSONL goes to blob storage), and hand in a result.
 */
public class RobotBatches {

	private static final Log logger = LogFactory.getLog(RobotBatches.class);

	private static final int IN_LIST = 500;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final BlobStore blobs;

	private final EnhancementBatches batches;

	private final JsonMapper mapper;

	private final Clock clock;

	public RobotBatches(JdbcTemplate jdbc, TransactionTemplate transactions, BlobStore blobs, JsonMapper mapper,
			Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.blobs = blobs;
		this.batches = new EnhancementBatches(jdbc, clock);
		this.mapper = mapper;
		this.clock = clock;
	}

	public EnhancementBatches batches() {
		return this.batches;
	}

	/**
	 * Claims up to {@code limit} pending enhancements of the robot, oldest first, into a
	 * new batch with a lease. Concurrent claims never share a row: each row moves only
	 * from {@code pending}.
	 * @param robotId the robot
	 * @param limit the most references
	 * @param lease how long the robot holds them
	 * @return the batch, or empty when nothing is pending
	 */
	public Optional<EnhancementBatches.Batch> claim(String robotId, int limit, Duration lease) {
		UUID batchId = UUID.randomUUID();
		Optional<UUID> claimed = this.transactions.execute((status) -> {
			Instant now = this.clock.instant();
			Timestamp expires = Timestamp.from(now.plus(lease));
			// queued_at is created_at while pending, NULL otherwise (V14): the claim
			// index
			// holds it instead of the status, so giving outcomes rewrites no index.
			List<UUID> candidates = this.jdbc.queryForList("SELECT id FROM pending_enhancement WHERE robot_id = ?"
					+ " AND queued_at IS NOT NULL ORDER BY queued_at, id LIMIT ?", UUID.class, robotId, limit);
			if (candidates.isEmpty()) {
				return Optional.empty();
			}
			this.jdbc.update("INSERT INTO robot_enhancement_batch (id, robot_id, status, reference_data_key,"
					+ " result_key, expires_at, created_at, updated_at) VALUES (?, ?, 'processing', ?, ?, ?, ?, ?)",
					batchId, robotId, BlobKeys.referenceData(batchId), BlobKeys.robotResult(batchId), expires,
					Timestamp.from(now), Timestamp.from(now));
			List<Object[]> rows = new ArrayList<>();
			for (UUID candidate : candidates) {
				rows.add(new Object[] { batchId, expires, Timestamp.from(now), candidate });
			}
			this.jdbc.batchUpdate("UPDATE pending_enhancement SET status = 'processing', batch_id = ?,"
					+ " expires_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'", rows);
			List<UUID> references = this.jdbc.queryForList(
					"SELECT DISTINCT reference_id FROM pending_enhancement WHERE batch_id = ? ORDER BY reference_id",
					UUID.class, batchId);
			if (references.isEmpty()) {
				status.setRollbackOnly();
				return Optional.empty();
			}
			writeReferences(batchId, references);
			for (UUID request : this.jdbc.queryForList(
					"SELECT DISTINCT enhancement_request_id FROM pending_enhancement WHERE batch_id = ?", UUID.class,
					batchId)) {
				this.batches.settleRequest(request);
			}
			logger.info("Robot " + robotId + " claimed batch " + batchId + " of " + references.size()
					+ " reference(s) until " + expires.toInstant());
			return Optional.of(batchId);
		});
		return claimed.flatMap(this.batches::find);
	}

	private void writeReferences(UUID batchId, List<UUID> references) {
		try {
			Path file = Files.createTempFile("references-" + batchId, ".jsonl");
			try {
				try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
					for (int i = 0; i < references.size(); i += IN_LIST) {
						for (JsonNode reference : references(
								references.subList(i, Math.min(references.size(), i + IN_LIST)))) {
							out.write(this.mapper.writeValueAsString(reference));
							out.write('\n');
						}
					}
				}
				try (InputStream in = Files.newInputStream(file)) {
					this.blobs.put(BlobKeys.referenceData(batchId), in, Files.size(file));
				}
			}
			finally {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the references of batch " + batchId, ex);
		}
	}

	private List<JsonNode> references(List<UUID> ids) {
		String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
		Map<UUID, ObjectNode> references = new HashMap<>();
		List<JsonNode> ordered = new ArrayList<>();
		this.jdbc.query("SELECT id, visibility, identifiers FROM reference WHERE id IN (" + in + ") ORDER BY id",
				(rs) -> {
					ObjectNode reference = JsonNodeFactory.instance.objectNode();
					UUID id = rs.getObject(1, UUID.class);
					reference.put("id", id.toString());
					reference.put("visibility", rs.getString(2));
					String identifiers = rs.getString(3);
					reference.set("identifiers", (identifiers != null) ? this.mapper.readTree(identifiers)
							: JsonNodeFactory.instance.nullNode());
					reference.set("enhancements", JsonNodeFactory.instance.arrayNode());
					references.put(id, reference);
					ordered.add(reference);
				}, ids.toArray());
		this.jdbc.query(
				"SELECT id, reference_id, source, visibility, robot_version, derived_from, content"
						+ " FROM enhancement WHERE reference_id IN (" + in + ") ORDER BY reference_id, created_at, id",
				(rs) -> {
					ObjectNode enhancement = JsonNodeFactory.instance.objectNode();
					UUID reference = rs.getObject(2, UUID.class);
					enhancement.put("id", rs.getObject(1, UUID.class).toString());
					enhancement.put("reference_id", reference.toString());
					enhancement.put("source", rs.getString(3));
					enhancement.put("visibility", rs.getString(4));
					enhancement.put("robot_version", rs.getString(5));
					String derived = rs.getString(6);
					enhancement.set("derived_from",
							(derived != null) ? this.mapper.readTree(derived) : JsonNodeFactory.instance.nullNode());
					enhancement.set("content", this.mapper.readTree(rs.getString(7)));
					((ArrayNode) references.get(reference).get("enhancements")).add(enhancement);
				}, ids.toArray());
		return ordered;
	}

	/**
	 * What became of a result.
	 */
	public enum Submitted {

		/** The robot reported a batch-level error: the batch failed, no file is read. */
		FAILED_BY_ROBOT,

		/** The batch moved to importing: launch the import. */
		IMPORTING,

		/**
		 * A repeated result for a batch already importing: launch again (a duplicate).
		 */
		ALREADY_IMPORTING

	}

	/**
	 * Hands in a robot's result for a batch it holds.
	 * @param batchId the batch
	 * @param error the robot's batch-level error, or {@code null}
	 * @return what became of it
	 * @throws ResultRejectedException when the batch's lease expired or it is already
	 * finished
	 */
	public Submitted submit(UUID batchId, String error) {
		return this.transactions.execute((tx) -> {
			EnhancementBatches.Batch batch = this.batches.find(batchId).orElseThrow();
			Instant now = this.clock.instant();
			if (batch.status().equals(RequestStatus.IMPORTING.value()) && error == null) {
				return Submitted.ALREADY_IMPORTING;
			}
			if (!batch.status().equals(RequestStatus.PROCESSING.value())) {
				throw new ResultRejectedException(
						"Cannot process results: batch " + batchId + " is " + batch.status() + ".");
			}
			if (!batch.expiresAt().isAfter(now)) {
				throw new ResultRejectedException("Cannot process results: the lease of batch " + batchId
						+ " expired at " + batch.expiresAt() + ".");
			}
			Timestamp at = Timestamp.from(now);
			if (error != null) {
				this.jdbc.update("UPDATE pending_enhancement SET status = 'failed', reason = ?, updated_at = ?"
						+ " WHERE batch_id = ? AND status = 'processing'", error, at, batchId);
				this.batches.settle(batchId, null, error);
				return Submitted.FAILED_BY_ROBOT;
			}
			this.jdbc.update("UPDATE pending_enhancement SET status = 'importing', updated_at = ?"
					+ " WHERE batch_id = ? AND status = 'processing'", at, batchId);
			this.jdbc.update("UPDATE robot_enhancement_batch SET status = 'importing', updated_at = ? WHERE id = ?", at,
					batchId);
			Set<UUID> requests = new LinkedHashSet<>(this.jdbc.queryForList(
					"SELECT DISTINCT enhancement_request_id FROM pending_enhancement WHERE batch_id = ?", UUID.class,
					batchId));
			requests.forEach(this.batches::settleRequest);
			return Submitted.IMPORTING;
		});
	}

	/**
	 * A result the repository refuses (422).
	 */
	public static class ResultRejectedException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		public ResultRejectedException(String message) {
			super(message);
		}

	}

}
