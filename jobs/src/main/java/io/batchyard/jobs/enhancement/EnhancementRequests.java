package io.batchyard.jobs.enhancement;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Requests for enhancements: one pending enhancement per requested reference, status
 * computed from them.
 */
public class EnhancementRequests {

	private static final int IN_LIST = 500;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final EnhancementBatches batches;

	private final Clock clock;

	public EnhancementRequests(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.batches = new EnhancementBatches(jdbc, clock);
		this.clock = clock;
	}

	/**
	 * A request as {@code EnhancementRequestRead} shows it.
	 *
	 * @param id the id
	 * @param robotId the robot
	 * @param referenceIds the requested references, in request order
	 * @param source the source, or {@code null}
	 * @param status the status computed from its pending enhancements
	 * @param error its error, or {@code null}
	 */
	public record Request(UUID id, String robotId, List<UUID> referenceIds, String source, RequestStatus status,
			String error) {

	}

	/**
	 * Registers a request: status received, a pending enhancement per reference.
	 * @param robotId the robot
	 * @param referenceIds the references, without duplicates
	 * @param source the source, or {@code null}
	 * @return the request
	 * @throws IllegalArgumentException naming the ids of references that do not exist
	 */
	public Request create(String robotId, List<UUID> referenceIds, String source) {
		if (new HashSet<>(referenceIds).size() != referenceIds.size()) {
			throw new IllegalArgumentException("reference_ids must not contain duplicate ids.");
		}
		List<UUID> unknown = unknown(referenceIds);
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException("Unknown reference ids: "
					+ String.join(", ", unknown.stream().limit(20).map(UUID::toString).toList())
					+ ((unknown.size() > 20) ? " and " + (unknown.size() - 20) + " more" : ""));
		}
		UUID id = UUID.randomUUID();
		Timestamp now = Timestamp.from(this.clock.instant());
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.update(
					"INSERT INTO enhancement_request (id, robot_id, source, request_status, created_at,"
							+ " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
					id, robotId, source, RequestStatus.RECEIVED.value(), now, now);
			List<Object[]> rows = new ArrayList<>(referenceIds.size());
			for (int i = 0; i < referenceIds.size(); i++) {
				// a microsecond apart: claims take them oldest first, in request order
				Timestamp created = Timestamp.from(now.toInstant().plusNanos(1000L * i));
				rows.add(new Object[] { UUID.randomUUID(), id, referenceIds.get(i), robotId, created, created });
			}
			this.jdbc.batchUpdate("INSERT INTO pending_enhancement (id, enhancement_request_id, reference_id,"
					+ " robot_id, status, retry_depth, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)",
					rows);
		});
		return find(id).orElseThrow();
	}

	public Optional<Request> find(UUID id) {
		List<Request> found = this.jdbc.query(
				"SELECT id, robot_id, source, request_status, error FROM enhancement_request WHERE id = ?",
				(rs, row) -> new Request(rs.getObject(1, UUID.class), rs.getString(2), List.of(), rs.getString(3),
						RequestStatus.of(rs.getString(4)), rs.getString(5)),
				id);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		Request request = found.get(0);
		List<UUID> references = this.jdbc.queryForList(
				"SELECT reference_id FROM pending_enhancement"
						+ " WHERE enhancement_request_id = ? AND retry_depth = 0 ORDER BY created_at, id",
				UUID.class, id);
		RequestStatus status = this.batches.settleRequest(id);
		return Optional
			.of(new Request(request.id(), request.robotId(), references, request.source(), status, request.error()));
	}

	private List<UUID> unknown(List<UUID> ids) {
		Set<UUID> known = new HashSet<>();
		for (int i = 0; i < ids.size(); i += IN_LIST) {
			List<UUID> part = ids.subList(i, Math.min(ids.size(), i + IN_LIST));
			known.addAll(this.jdbc.queryForList(
					"SELECT id FROM reference WHERE id IN ("
							+ String.join(", ", java.util.Collections.nCopies(part.size(), "?")) + ")",
					UUID.class, part.toArray()));
		}
		return ids.stream().filter((id) -> !known.contains(id)).toList();
	}

}
