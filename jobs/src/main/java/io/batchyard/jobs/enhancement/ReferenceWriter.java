package io.batchyard.jobs.enhancement;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Upserts references (a later line for the same id wins) and inserts their enhancements
 * unless an exact duplicate exists (same name-based id), in the chunk transaction: a
 * replayed chunk changes nothing.
 */
public class ReferenceWriter implements ItemWriter<Reference> {

	private final JdbcTemplate jdbc;

	private final Clock clock;

	public ReferenceWriter(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public void write(Chunk<? extends Reference> chunk) {
		Timestamp now = Timestamp.from(this.clock.instant());
		Map<UUID, Reference> last = new LinkedHashMap<>();
		Map<UUID, Enhancement> enhancements = new LinkedHashMap<>();
		for (Reference reference : chunk) {
			last.put(reference.id(), reference);
			for (Enhancement enhancement : reference.enhancements()) {
				enhancements.putIfAbsent(enhancement.id(), enhancement);
			}
		}
		List<Object[]> updates = new ArrayList<>();
		List<Object[]> inserts = new ArrayList<>();
		for (Reference reference : last.values()) {
			updates.add(new Object[] { reference.visibility(), reference.identifiers(), reference.id() });
			inserts.add(new Object[] { reference.id(), reference.visibility(), reference.identifiers(), now,
					reference.id() });
		}
		this.jdbc.batchUpdate("UPDATE reference SET visibility = ?, identifiers = ? WHERE id = ?", updates);
		this.jdbc.batchUpdate("INSERT INTO reference (id, visibility, identifiers, created_at) SELECT ?, ?, ?, ?"
				+ " WHERE NOT EXISTS (SELECT 1 FROM reference WHERE id = ?)", inserts);
		List<Object[]> rows = new ArrayList<>();
		for (Enhancement e : enhancements.values()) {
			rows.add(new Object[] { e.id(), e.referenceId(), e.enhancementType(), e.source(), e.visibility(),
					e.robotVersion(), e.derivedFrom(), e.content(), e.fingerprint(), now, e.id() });
		}
		if (!rows.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO enhancement (id, reference_id, enhancement_type, source, visibility,"
					+ " robot_version, derived_from, content, fingerprint, batch_id, created_at)"
					+ " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ? WHERE NOT EXISTS (SELECT 1 FROM enhancement WHERE id = ?)",
					rows);
		}
	}

}
