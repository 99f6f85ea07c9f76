package io.batchyard.jobs.enhancement;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The writer of one partition of a partitioned {@code enhancementImportJob}: writes in
 * the chunk transaction what a line decides on its own, and stages the rest.
 * <ul>
 * <li>a line that could not be parsed, or that names a reference the batch did not
 * request, is final whatever the other lines say: its validation entry is written as
 * {@link EnhancementResultWriter} writes it;</li>
 * <li>a robot error or an enhancement of a requested reference depends on the lines
 * before it (the first line naming a reference wins), which another partition may not
 * have written yet: it is staged in {@code robot_result_candidate} under its line number,
 * for {@link ResolveEnhancementEntriesTasklet} to decide once every partition is
 * done.</li>
 * </ul>
 * Both tables are keyed by batch and line number, and a rolled back chunk leaves nothing,
 * so a replayed chunk or a resumed partition writes each row once.
 */
public class EnhancementCandidateWriter implements ItemWriter<ResultEntry> {

	private static final Log logger = LogFactory.getLog(EnhancementCandidateWriter.class);

	private static final String INSERT_CANDIDATE = "INSERT INTO robot_result_candidate (batch_id, entry_number,"
			+ " reference_id, kind, error, enhancement_id, enhancement_type, source, visibility, robot_version,"
			+ " derived_from, content, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private static final String INSERT_ENTRY = "INSERT INTO robot_result_validation_entry (batch_id, entry_number,"
			+ " reference_id, outcome, error) VALUES (?, ?, ?, ?, ?)";

	/** A staged enhancement. */
	static final String ADDED = "added";

	/** A staged robot error. */
	static final String ROBOT_ERROR = "robot_error";

	private final JdbcTemplate jdbc;

	private final UUID batchId;

	/**
	 * Creates a writer.
	 * @param jdbc the database of the chunk transaction
	 * @param batchId the robot enhancement batch
	 */
	public EnhancementCandidateWriter(JdbcTemplate jdbc, UUID batchId) {
		this.jdbc = jdbc;
		this.batchId = batchId;
	}

	@Override
	public void write(Chunk<? extends ResultEntry> chunk) {
		Set<UUID> named = new LinkedHashSet<>();
		for (ResultEntry entry : chunk.getItems()) {
			UUID reference = reference(entry);
			if (reference != null) {
				named.add(reference);
			}
		}
		Set<UUID> requested = requested(named);
		List<Object[]> entries = new ArrayList<>();
		List<Object[]> candidates = new ArrayList<>();
		List<ChunkValidation.Entry> logged = new ArrayList<>();
		for (ResultEntry entry : chunk.getItems()) {
			long n = entry.entryNumber();
			if (entry instanceof ResultEntry.Unparseable unparseable) {
				logged.add(new ChunkValidation.Entry(n, null, EntryOutcome.PARSE_FAILURE, unparseable.message()));
			}
			else if (!requested.contains(reference(entry))) {
				logged.add(new ChunkValidation.Entry(n, reference(entry), EntryOutcome.NOT_IN_BATCH,
						ValidationMessages.NOT_IN_BATCH));
			}
			else if (entry instanceof ResultEntry.RobotError error) {
				candidates.add(new Object[] { this.batchId, n, error.referenceId(), ROBOT_ERROR,
						EnhancementResultWriter.truncate(error.message()), null, null, null, null, null, null, null,
						null });
			}
			else {
				Enhancement e = ((ResultEntry.Added) entry).enhancement();
				candidates.add(new Object[] { this.batchId, n, e.referenceId(), ADDED, null, e.id(),
						e.enhancementType(), e.source(), e.visibility(), e.robotVersion(), e.derivedFrom(), e.content(),
						e.fingerprint() });
			}
		}
		for (ChunkValidation.Entry entry : logged) {
			entries.add(new Object[] { this.batchId, entry.entryNumber(), entry.referenceId(), entry.outcome().value(),
					EnhancementResultWriter.truncate(entry.error()) });
		}
		if (!entries.isEmpty()) {
			this.jdbc.batchUpdate(INSERT_ENTRY, entries);
		}
		if (!candidates.isEmpty()) {
			this.jdbc.batchUpdate(INSERT_CANDIDATE, candidates);
		}
		if (logger.isDebugEnabled()) {
			// Per line, so DEBUG only; the staged lines are logged when they are
			// resolved.
			for (ChunkValidation.Entry entry : logged) {
				logger.debug(EnhancementResultWriter.describe(this.batchId, entry));
			}
		}
	}

	private static UUID reference(ResultEntry entry) {
		if (entry instanceof ResultEntry.RobotError error) {
			return error.referenceId();
		}
		if (entry instanceof ResultEntry.Added added) {
			return added.enhancement().referenceId();
		}
		return null;
	}

	/**
	 * Which of these references the batch requested: whether a line is "not in batch"
	 * depends on no other line.
	 */
	private Set<UUID> requested(Set<UUID> references) {
		Set<UUID> requested = new HashSet<>();
		if (references.isEmpty()) {
			return requested;
		}
		this.jdbc.execute((ConnectionCallback<Void>) (connection) -> {
			try (PreparedStatement statement = connection.prepareStatement(
					"SELECT DISTINCT reference_id FROM pending_enhancement WHERE batch_id = ? AND reference_id = ANY(?)")) {
				Array ids = connection.createArrayOf("uuid", references.toArray());
				statement.setObject(1, this.batchId);
				statement.setArray(2, ids);
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						requested.add(rs.getObject(1, UUID.class));
					}
				}
			}
			return null;
		});
		return requested;
	}

}
