package io.batchyard.jobs.enhancement;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Upserts references (the last line naming a reference wins) and inserts their
 * enhancements unless an exact duplicate exists (same name-based id), in the chunk
 * transaction: a replayed chunk changes nothing.
 * <p>
 * "Last" is by line number, not by the order of writes: a reference records the load (job
 * instance) and line that set it, and a line replaces it unless a later line of the same
 * load already did. So partitions of one file, writing in any order, leave what one
 * reader over the whole file leaves. Rows are written in id order, inserts before
 * updates, so that concurrent partitions take their row locks in one order; of two
 * partitions inserting the same new reference, the second waits for the first and then
 * updates the row if its line is later.
 */
public class ReferenceWriter implements ItemWriter<Reference> {

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final long loadInstanceId;

	/**
	 * @param jdbc the database
	 * @param clock stamps new rows
	 * @param loadInstanceId the job instance of the load (its restarts and partitions
	 * share it)
	 */
	public ReferenceWriter(JdbcTemplate jdbc, Clock clock, long loadInstanceId) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.loadInstanceId = loadInstanceId;
	}

	@Override
	public void write(Chunk<? extends Reference> chunk) {
		Timestamp now = Timestamp.from(this.clock.instant());
		Map<UUID, Reference> last = new TreeMap<>();
		Map<UUID, Enhancement> enhancements = new TreeMap<>();
		for (Reference reference : chunk) {
			last.merge(reference.id(), reference, (a, b) -> (b.line() >= a.line()) ? b : a);
			for (Enhancement enhancement : reference.enhancements()) {
				enhancements.putIfAbsent(enhancement.id(), enhancement);
			}
		}
		List<Object[]> updates = new ArrayList<>();
		List<Object[]> inserts = new ArrayList<>();
		for (Reference reference : last.values()) {
			updates.add(new Object[] { reference.visibility(), reference.identifiers(), this.loadInstanceId,
					reference.line(), reference.id(), this.loadInstanceId, reference.line() });
			inserts.add(new Object[] { reference.id(), reference.visibility(), reference.identifiers(), now,
					this.loadInstanceId, reference.line() });
		}
		// Insert first, doing nothing on a conflict: it waits for a partition inserting
		// the
		// same reference to commit instead of failing (in PostgreSQL a failed statement
		// would abort the chunk's transaction, and its retry with it).
		this.jdbc.batchUpdate("INSERT INTO reference (id, visibility, identifiers, created_at, load_instance_id,"
				+ " load_line) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", inserts);
		this.jdbc.batchUpdate("UPDATE reference SET visibility = ?, identifiers = ?, load_instance_id = ?,"
				+ " load_line = ? WHERE id = ?"
				+ " AND (load_instance_id IS NULL OR load_instance_id <> ? OR load_line IS NULL OR load_line < ?)",
				updates);
		List<Object[]> rows = new ArrayList<>();
		for (Enhancement e : enhancements.values()) {
			rows.add(new Object[] { e.id(), e.referenceId(), e.enhancementType(), e.source(), e.visibility(),
					e.robotVersion(), e.derivedFrom(), e.content(), e.fingerprint(), now });
		}
		if (!rows.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO enhancement (id, reference_id, enhancement_type, source, visibility,"
					+ " robot_version, derived_from, content, fingerprint, batch_id, created_at)"
					+ " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?) ON CONFLICT DO NOTHING", rows);
		}
	}

}
