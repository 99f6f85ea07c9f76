package io.batchyard.jobs.enhancement;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes a chunk of result entries in the chunk transaction: its validation entries
 * (keyed by batch and entry number), the new enhancements (keyed by their name-based id)
 * and the outcome on the batch's pending enhancements. A chunk replayed after a rollback
 * writes each row once. {@link ChunkValidation} decides; this class only reads and
 * writes.
 */
public class EnhancementResultWriter implements ItemWriter<ResultEntry> {

	private static final int IN_LIST = 1000;

	private final JdbcTemplate jdbc;

	private final UUID batchId;

	private final Clock clock;

	public EnhancementResultWriter(JdbcTemplate jdbc, UUID batchId, Clock clock) {
		this.jdbc = jdbc;
		this.batchId = batchId;
		this.clock = clock;
	}

	@Override
	public void write(Chunk<? extends ResultEntry> chunk) {
		List<? extends ResultEntry> entries = chunk.getItems();
		Set<UUID> references = new LinkedHashSet<>();
		Set<UUID> ids = new LinkedHashSet<>();
		for (ResultEntry entry : entries) {
			if (entry instanceof ResultEntry.RobotError error) {
				references.add(error.referenceId());
			}
			else if (entry instanceof ResultEntry.Added added) {
				references.add(added.enhancement().referenceId());
				ids.add(added.enhancement().id());
			}
		}
		ChunkValidation.Result result = ChunkValidation.validate(entries, firstNamed(references), existing(ids));
		Timestamp now = Timestamp.from(this.clock.instant());
		List<Object[]> enhancements = new ArrayList<>(result.added().size());
		for (Enhancement enhancement : result.added()) {
			enhancements.add(new Object[] { enhancement.id(), enhancement.referenceId(), enhancement.enhancementType(),
					enhancement.source(), enhancement.visibility(), enhancement.robotVersion(),
					enhancement.derivedFrom(), enhancement.content(), enhancement.fingerprint(), this.batchId, now });
		}
		if (!enhancements.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO enhancement (id, reference_id, enhancement_type, source, visibility,"
					+ " robot_version, derived_from, content, fingerprint, batch_id, created_at)"
					+ " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", enhancements);
		}
		List<Object[]> report = new ArrayList<>(result.entries().size());
		for (ChunkValidation.Entry entry : result.entries()) {
			report.add(new Object[] { this.batchId, entry.entryNumber(), entry.referenceId(), entry.outcome().value(),
					truncate(entry.error()) });
		}
		if (!report.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO robot_result_validation_entry (batch_id, entry_number, reference_id,"
					+ " outcome, error) VALUES (?, ?, ?, ?, ?)", report);
		}
	}

	private Map<UUID, Long> firstNamed(Collection<UUID> references) {
		Map<UUID, Long> named = new HashMap<>();
		for (List<UUID> part : parts(references)) {
			List<Object> arguments = new ArrayList<>(part.size() + 1);
			arguments.add(this.batchId);
			arguments.addAll(part);
			// One round trip: the requested references of the chunk, each with the first
			// entry of an earlier chunk that named it (or null).
			this.jdbc.query("SELECT p.reference_id, MIN(e.entry_number) FROM pending_enhancement p"
					+ " LEFT JOIN robot_result_validation_entry e ON e.batch_id = p.batch_id"
					+ " AND e.reference_id = p.reference_id AND e.outcome IN ('added', 'robot_error', 'discarded')"
					+ " WHERE p.batch_id = ? AND p.reference_id IN (" + placeholders(part.size()) + ")"
					+ " GROUP BY p.reference_id", (rs) -> {
						UUID reference = rs.getObject(1, UUID.class);
						Number entry = (Number) rs.getObject(2);
						named.put(reference, (entry != null) ? entry.longValue() : null);
					}, arguments.toArray());
		}
		return named;
	}

	private Set<UUID> existing(Collection<UUID> ids) {
		Set<UUID> existing = new HashSet<>();
		for (List<UUID> part : parts(ids)) {
			this.jdbc.query("SELECT id FROM enhancement WHERE id IN (" + placeholders(part.size()) + ")", (rs) -> {
				existing.add(rs.getObject(1, UUID.class));
			}, part.toArray());
		}
		return existing;
	}

	private static List<List<UUID>> parts(Collection<UUID> values) {
		List<List<UUID>> parts = new ArrayList<>();
		List<UUID> all = new ArrayList<>(values);
		for (int i = 0; i < all.size(); i += IN_LIST) {
			parts.add(all.subList(i, Math.min(all.size(), i + IN_LIST)));
		}
		return parts;
	}

	private static String placeholders(int count) {
		return String.join(", ", java.util.Collections.nCopies(count, "?"));
	}

	private static String truncate(String error) {
		return (error != null && error.length() > 4000) ? error.substring(0, 3999) + "…" : error;
	}

}
