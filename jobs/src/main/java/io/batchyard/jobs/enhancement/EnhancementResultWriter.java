package io.batchyard.jobs.enhancement;

import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.postgresql.PGConnection;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes a chunk of result entries in the chunk transaction: its validation entries
 * (keyed by batch and entry number), the new enhancements (keyed by their name-based id)
 * and the outcome on the batch's pending enhancements. A chunk replayed after a rollback
 * writes each row once. {@link ChunkValidation} decides; this class only reads and
 * writes. The look-ups take the chunk's ids as one {@code uuid[]} parameter
 * ({@code = ANY(?)}, on H2 and PostgreSQL alike); on PostgreSQL the rows are written with
 * {@code COPY} on the connection of the chunk transaction, elsewhere with batched
 * {@code INSERT}s.
 */
public class EnhancementResultWriter implements ItemWriter<ResultEntry> {

	private static final Log logger = LogFactory.getLog(EnhancementResultWriter.class);

	private final JdbcTemplate jdbc;

	private final UUID batchId;

	private final Clock clock;

	private final boolean postgres;

	/**
	 * Creates a writer.
	 * @param jdbc the database of the chunk transaction
	 * @param postgres whether it is PostgreSQL ({@code COPY} and {@code uuid[]} look-ups)
	 * @param batchId the robot enhancement batch
	 * @param clock the clock
	 */
	public EnhancementResultWriter(JdbcTemplate jdbc, boolean postgres, UUID batchId, Clock clock) {
		this.jdbc = jdbc;
		this.postgres = postgres;
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
		Instant instant = this.clock.instant();
		if (this.postgres) {
			copy(result, instant);
		}
		else {
			insert(result, instant);
		}
		settle(result, instant);
		if (logger.isDebugEnabled()) {
			// Per line, so DEBUG only: a million-line result would flood INFO. A chunk
			// rolled back and replayed logs its lines again; the batch's counts at INFO
			// come from the committed entries (WriteValidationReportTasklet).
			for (ChunkValidation.Entry entry : result.entries()) {
				logger.debug(describe(this.batchId, entry));
			}
		}
	}

	private void insert(ChunkValidation.Result result, Instant instant) {
		Timestamp now = Timestamp.from(instant);
		List<Object[]> enhancements = new ArrayList<>(result.added().size());
		for (Enhancement enhancement : result.added()) {
			enhancements.add(new Object[] { enhancement.id(), enhancement.referenceId(), enhancement.enhancementType(),
					enhancement.source(), enhancement.visibility(), enhancement.robotVersion(),
					enhancement.derivedFrom(), enhancement.content(), enhancement.fingerprint(), this.batchId, now });
		}
		if (!enhancements.isEmpty()) {
			this.jdbc.batchUpdate(INSERT_ENHANCEMENT + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", enhancements);
		}
		List<Object[]> report = new ArrayList<>(result.entries().size());
		for (ChunkValidation.Entry entry : result.entries()) {
			report.add(new Object[] { this.batchId, entry.entryNumber(), entry.referenceId(), entry.outcome().value(),
					truncate(entry.error()) });
		}
		if (!report.isEmpty()) {
			this.jdbc.batchUpdate(INSERT_ENTRY + " VALUES (?, ?, ?, ?, ?)", report);
		}
	}

	/**
	 * The outcome of each pending enhancement this chunk named first: the lines that
	 * decide it are all here, and its rows were just probed by the look-up, so they are
	 * in the buffer cache. After the file, {@link ReportMissingReferencesTasklet} has
	 * only the references no line named left. On PostgreSQL this update changes no
	 * indexed column (V14), so it is HOT where the page has room.
	 */
	private void settle(ChunkValidation.Result result, Instant instant) {
		List<ChunkValidation.Entry> named = new ArrayList<>();
		for (ChunkValidation.Entry entry : result.entries()) {
			if (entry.outcome() == EntryOutcome.ADDED || entry.outcome() == EntryOutcome.ROBOT_ERROR
					|| entry.outcome() == EntryOutcome.DISCARDED) {
				named.add(entry);
			}
		}
		if (named.isEmpty()) {
			return;
		}
		Timestamp now = Timestamp.from(instant);
		if (!this.postgres) {
			List<Object[]> rows = new ArrayList<>(named.size());
			for (ChunkValidation.Entry entry : named) {
				rows.add(new Object[] { status(entry.outcome()), entry.entryNumber(), truncate(entry.error()), now,
						this.batchId, entry.referenceId() });
			}
			this.jdbc.batchUpdate("UPDATE pending_enhancement SET status = ?, result_entry = ?, reason = ?,"
					+ " updated_at = ? WHERE batch_id = ? AND reference_id = ? AND status = 'importing'", rows);
			return;
		}
		// One statement, four arrays: one round trip and one plan for the chunk.
		UUID[] references = new UUID[named.size()];
		Long[] numbers = new Long[named.size()];
		String[] statuses = new String[named.size()];
		String[] reasons = new String[named.size()];
		for (int i = 0; i < named.size(); i++) {
			ChunkValidation.Entry entry = named.get(i);
			references[i] = entry.referenceId();
			numbers[i] = entry.entryNumber();
			statuses[i] = status(entry.outcome());
			reasons[i] = truncate(entry.error());
		}
		this.jdbc.execute((ConnectionCallback<Void>) (connection) -> {
			try (PreparedStatement statement = connection.prepareStatement("UPDATE pending_enhancement p SET"
					+ " status = v.status, result_entry = v.entry_number, reason = v.reason, updated_at = ? FROM"
					+ " unnest(?::uuid[], ?::bigint[], ?::varchar[], ?::varchar[]) AS v (reference_id, entry_number,"
					+ " status, reason) WHERE p.batch_id = ? AND p.reference_id = v.reference_id"
					+ " AND p.status = 'importing'")) {
				statement.setTimestamp(1, now);
				statement.setArray(2, connection.createArrayOf("uuid", references));
				statement.setArray(3, connection.createArrayOf("bigint", numbers));
				statement.setArray(4, connection.createArrayOf("varchar", statuses));
				statement.setArray(5, connection.createArrayOf("varchar", reasons));
				statement.setObject(6, this.batchId);
				statement.executeUpdate();
			}
			return null;
		});
	}

	/** The pending enhancement's status after the entry that first named it. */
	static String status(EntryOutcome outcome) {
		return switch (outcome) {
			case ADDED -> PendingStatus.COMPLETED.value();
			case DISCARDED -> PendingStatus.DISCARDED.value();
			default -> PendingStatus.FAILED.value();
		};
	}

	private static final String INSERT_ENHANCEMENT = "INSERT INTO enhancement (id, reference_id, enhancement_type,"
			+ " source, visibility, robot_version, derived_from, content, fingerprint, batch_id, created_at)";

	private static final String INSERT_ENTRY = "INSERT INTO robot_result_validation_entry (batch_id, entry_number,"
			+ " reference_id, outcome, error)";

	/** Both tables with {@code COPY ... FROM STDIN}, in the chunk transaction. */
	private void copy(ChunkValidation.Result result, Instant now) {
		String created = now.toString();
		String batch = this.batchId.toString();
		StringBuilder enhancements = new StringBuilder(result.added().size() * 512);
		for (Enhancement enhancement : result.added()) {
			enhancements.append(enhancement.id()).append('\t').append(enhancement.referenceId()).append('\t');
			field(enhancements, enhancement.enhancementType()).append('\t');
			field(enhancements, enhancement.source()).append('\t');
			field(enhancements, enhancement.visibility()).append('\t');
			field(enhancements, enhancement.robotVersion()).append('\t');
			field(enhancements, enhancement.derivedFrom()).append('\t');
			field(enhancements, enhancement.content()).append('\t');
			field(enhancements, enhancement.fingerprint()).append('\t');
			enhancements.append(batch).append('\t').append(created).append('\n');
		}
		StringBuilder report = new StringBuilder(result.entries().size() * 80);
		for (ChunkValidation.Entry entry : result.entries()) {
			report.append(batch).append('\t').append(entry.entryNumber()).append('\t');
			if (entry.referenceId() != null) {
				report.append(entry.referenceId());
			}
			else {
				report.append("\\N");
			}
			report.append('\t').append(entry.outcome().value()).append('\t');
			field(report, truncate(entry.error())).append('\n');
		}
		this.jdbc.execute((ConnectionCallback<Void>) (connection) -> {
			var copy = connection.unwrap(PGConnection.class).getCopyAPI();
			try {
				if (!result.added().isEmpty()) {
					copy.copyIn(COPY_ENHANCEMENT, new StringReader(enhancements.toString()));
				}
				if (!result.entries().isEmpty()) {
					copy.copyIn(COPY_ENTRY, new StringReader(report.toString()));
				}
			}
			catch (java.io.IOException ex) {
				throw new SQLException("COPY failed: " + ex.getMessage(), "08000", ex);
			}
			return null;
		});
	}

	private static final String COPY_ENHANCEMENT = "COPY enhancement (id, reference_id, enhancement_type, source,"
			+ " visibility, robot_version, derived_from, content, fingerprint, batch_id, created_at) FROM STDIN";

	private static final String COPY_ENTRY = "COPY robot_result_validation_entry (batch_id, entry_number,"
			+ " reference_id, outcome, error) FROM STDIN";

	/** A value in COPY's text format: {@code \N} for null, backslash escapes. */
	private static StringBuilder field(StringBuilder out, String value) {
		if (value == null) {
			return out.append("\\N");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> out.append("\\\\");
				case '\t' -> out.append("\\t");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				default -> out.append(c);
			}
		}
		return out;
	}

	private Map<UUID, Long> firstNamed(Collection<UUID> references) {
		Map<UUID, Long> named = new HashMap<>();
		if (references.isEmpty()) {
			return named;
		}
		// One round trip, one uuid[] parameter: the requested references of the chunk,
		// each with the first entry of an earlier chunk that named it (or null). A
		// sub-query, not a join: the planner hash-joined the whole (growing) entry table
		// per chunk; this is one index probe per reference.
		this.jdbc.execute((ConnectionCallback<Void>) (connection) -> {
			try (PreparedStatement statement = connection
				.prepareStatement("SELECT p.reference_id, (SELECT MIN(e.entry_number) FROM"
						+ " robot_result_validation_entry e WHERE e.batch_id = p.batch_id AND e.reference_id ="
						+ " p.reference_id AND e.outcome IN ('added', 'robot_error', 'discarded')) FROM"
						+ " pending_enhancement p WHERE p.batch_id = ? AND p.reference_id = ANY(?)")) {
				statement.setObject(1, this.batchId);
				statement.setArray(2, uuids(connection, references));
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						UUID reference = rs.getObject(1, UUID.class);
						long entry = rs.getLong(2);
						named.put(reference, rs.wasNull() ? null : entry);
					}
				}
			}
			return null;
		});
		return named;
	}

	private Set<UUID> existing(Collection<UUID> ids) {
		Set<UUID> existing = new HashSet<>();
		if (ids.isEmpty()) {
			return existing;
		}
		this.jdbc.execute((ConnectionCallback<Void>) (connection) -> {
			try (PreparedStatement statement = connection
				.prepareStatement("SELECT id FROM enhancement WHERE id = ANY(?)")) {
				statement.setArray(1, uuids(connection, ids));
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						existing.add(rs.getObject(1, UUID.class));
					}
				}
			}
			return null;
		});
		return existing;
	}

	private static Array uuids(Connection connection, Collection<UUID> values) throws SQLException {
		return connection.createArrayOf("uuid", values.toArray());
	}

	/**
	 * The DEBUG line of one validation entry, the same whichever step decided it.
	 * @param batchId the batch
	 * @param entry the entry
	 * @return the line
	 */
	static String describe(UUID batchId, ChunkValidation.Entry entry) {
		return "Batch " + batchId + ", entry " + entry.entryNumber()
				+ ((entry.referenceId() != null) ? ", reference " + entry.referenceId() : "") + ": "
				+ ((entry.outcome() == EntryOutcome.ADDED) ? ValidationMessages.ADDED : entry.error());
	}

	static String truncate(String error) {
		return (error != null && error.length() > 4000) ? error.substring(0, 3999) + "…" : error;
	}

}
