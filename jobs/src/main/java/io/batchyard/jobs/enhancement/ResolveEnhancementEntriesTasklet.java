package io.batchyard.jobs.enhancement;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * After the partitions of a partitioned {@code enhancementImportJob}, in the step's one
 * transaction: decides the lines they staged in {@code robot_result_candidate} by line
 * number, as one reader over the whole file would have in file order. For each reference
 * the staged line with the smallest number wins; every other line naming it is
 * {@link EntryOutcome#DUPLICATE}. A winning robot error is
 * {@link EntryOutcome#ROBOT_ERROR} with the robot's message; a winning enhancement is
 * {@link EntryOutcome#DISCARDED} if an enhancement with its id exists (ids are name-based
 * on reference and fingerprint, so only the reference's own enhancement can share it),
 * otherwise it is inserted and {@link EntryOutcome#ADDED}. Then the batch's candidates
 * are deleted.
 * <p>
 * Set-based {@code INSERT ... SELECT}s over a {@code MIN(entry_number) ... GROUP BY
 * reference_id} sub-query, the same on H2 and PostgreSQL. A failure rolls the whole step
 * back (candidates included), so a restart resolves from scratch; a step that committed
 * left no candidate, so running it again does nothing.
 */
public class ResolveEnhancementEntriesTasklet implements Tasklet {

	private static final Log logger = LogFactory.getLog(ResolveEnhancementEntriesTasklet.class);

	/** The staged lines of the batch, each with the first line naming its reference. */
	private static final String STAGED = " FROM robot_result_candidate c JOIN (SELECT reference_id,"
			+ " MIN(entry_number) AS first_entry FROM robot_result_candidate WHERE batch_id = ? GROUP BY reference_id) f"
			+ " ON f.reference_id = c.reference_id WHERE c.batch_id = ?";

	private static final String FIRST = STAGED + " AND c.entry_number = f.first_entry";

	private static final String EXISTS = " EXISTS (SELECT 1 FROM enhancement e WHERE e.id = c.enhancement_id)";

	private static final String INSERT_ENTRY = "INSERT INTO robot_result_validation_entry (batch_id, entry_number,"
			+ " reference_id, outcome, error) SELECT c.batch_id, c.entry_number, c.reference_id, ";

	private static final String MESSAGE = "CAST(? AS VARCHAR(4000))";

	private final JdbcTemplate jdbc;

	private final UUID batchId;

	private final Clock clock;

	private final boolean postgres;

	/**
	 * Creates the tasklet.
	 * @param jdbc the database
	 * @param postgres whether it is PostgreSQL (the staging table is analysed first)
	 * @param batchId the robot enhancement batch
	 * @param clock the clock
	 */
	public ResolveEnhancementEntriesTasklet(JdbcTemplate jdbc, boolean postgres, UUID batchId, Clock clock) {
		this.jdbc = jdbc;
		this.postgres = postgres;
		this.batchId = batchId;
		this.clock = clock;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		UUID b = this.batchId;
		if (this.postgres) {
			// The partitions filled the staging table since autovacuum last looked (it
			// is empty between imports): planned on those statistics, the GROUP BY
			// sub-query became a nested loop over every staged line per reference, more
			// than 2 minutes for 100,000 lines where a hash join takes a second.
			this.jdbc.execute("ANALYZE robot_result_candidate");
		}
		int duplicates = this.jdbc.update(
				INSERT_ENTRY + "'duplicate', " + MESSAGE + STAGED + " AND c.entry_number > f.first_entry",
				ValidationMessages.DUPLICATE_REFERENCE, b, b);
		int errors = this.jdbc.update(INSERT_ENTRY + "'robot_error', c.error" + FIRST + " AND c.kind = ?", b, b,
				EnhancementCandidateWriter.ROBOT_ERROR);
		// Discarded before anything is inserted: the existing enhancements are those from
		// before this batch, as for the first line of a reference in file order.
		int discarded = this.jdbc.update(
				INSERT_ENTRY + "'discarded', " + MESSAGE + FIRST + " AND c.kind = ? AND" + EXISTS,
				ValidationMessages.EXACT_DUPLICATE, b, b, EnhancementCandidateWriter.ADDED);
		int added = this.jdbc.update(
				INSERT_ENTRY + "'added', CAST(NULL AS VARCHAR(4000))" + FIRST + " AND c.kind = ? AND NOT" + EXISTS, b,
				b, EnhancementCandidateWriter.ADDED);
		// The enhancements of the entries just resolved as added: not decided again with
		// NOT EXISTS on the table being inserted into, which PostgreSQL planned as a
		// sequential scan per line when the table was empty at planning (quadratic: over
		// 3 minutes for 100,000 lines).
		int inserted = this.jdbc.update("INSERT INTO enhancement (id, reference_id, enhancement_type, source,"
				+ " visibility, robot_version, derived_from, content, fingerprint, batch_id, created_at) SELECT"
				+ " c.enhancement_id, c.reference_id, c.enhancement_type, c.source, c.visibility, c.robot_version,"
				+ " c.derived_from, c.content, c.fingerprint, c.batch_id, CAST(? AS TIMESTAMP WITH TIME ZONE) FROM"
				+ " robot_result_candidate c JOIN robot_result_validation_entry e ON e.batch_id = c.batch_id AND"
				+ " e.entry_number = c.entry_number WHERE c.batch_id = ? AND e.outcome = 'added'",
				Timestamp.from(this.clock.instant()), b);
		if (inserted != added) {
			throw new IllegalStateException(
					"Batch " + b + ": " + added + " enhancement(s) resolved as added but " + inserted + " inserted");
		}
		if (logger.isDebugEnabled()) {
			// Per line, so DEBUG only, as EnhancementResultWriter logs an unpartitioned
			// import's lines.
			this.jdbc.query("SELECT e.entry_number, e.reference_id, e.outcome, e.error FROM"
					+ " robot_result_validation_entry e JOIN robot_result_candidate c ON c.batch_id = e.batch_id AND"
					+ " c.entry_number = e.entry_number WHERE e.batch_id = ? ORDER BY e.entry_number", (rs) -> {
						logger.debug(EnhancementResultWriter.describe(b,
								new ChunkValidation.Entry(rs.getLong(1), rs.getObject(2, UUID.class),
										EntryOutcome.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT)),
										rs.getString(4))));
					}, b);
		}
		int staged = this.jdbc.update("DELETE FROM robot_result_candidate WHERE batch_id = ?", b);
		int resolved = duplicates + errors + discarded + added;
		if (resolved != staged) {
			throw new IllegalStateException(
					"Batch " + b + ": " + staged + " staged line(s) but " + resolved + " resolved");
		}
		contribution.incrementWriteCount(resolved);
		logger.info("Batch " + b + ": resolved " + resolved + " staged line(s) by line number: " + added + " added, "
				+ discarded + " discarded, " + errors + " robot_error, " + duplicates + " duplicate");
		return RepeatStatus.FINISHED;
	}

}
