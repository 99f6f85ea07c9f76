package io.batchyard.jobs.enhancement;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.batchyard.readers.blob.BlobStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes the validation report from the batch's validation entries, in entry order, one
 * {@code RobotResultValidationEntry} JSON line each (no {@code error} on success), to
 * blob storage, then settles the batch's and its requests' statuses. Made only from rows,
 * so a restarted import writes the same report; the put replaces the whole blob at once.
 */
public class WriteValidationReportTasklet implements Tasklet {

	private static final Log logger = LogFactory.getLog(WriteValidationReportTasklet.class);

	private final JdbcTemplate jdbc;

	private final BlobStore blobs;

	private final EnhancementBatches batches;

	private final UUID batchId;

	private final JsonMapper mapper;

	public WriteValidationReportTasklet(JdbcTemplate jdbc, BlobStore blobs, EnhancementBatches batches, UUID batchId,
			JsonMapper mapper) {
		this.jdbc = jdbc;
		this.blobs = blobs;
		this.batches = batches;
		this.batchId = batchId;
		this.mapper = mapper;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
		Path file = Files.createTempFile("validation-" + this.batchId, ".jsonl");
		try {
			long lines = 0;
			try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
				long[] count = { 0 };
				this.jdbc.query((connection) -> {
					var statement = connection.prepareStatement("SELECT reference_id, error FROM"
							+ " robot_result_validation_entry WHERE batch_id = ? ORDER BY entry_number");
					statement.setObject(1, this.batchId);
					statement.setFetchSize(1000);
					return statement;
				}, (rs) -> {
					ObjectNode line = JsonNodeFactory.instance.objectNode();
					UUID reference = rs.getObject(1, UUID.class);
					String error = rs.getString(2);
					if (reference != null) {
						line.put("reference_id", reference.toString());
					}
					if (error != null) {
						line.put("error", error);
					}
					try {
						out.write(this.mapper.writeValueAsString(line));
						out.write('\n');
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
					count[0]++;
				});
				lines = count[0];
			}
			String key = BlobKeys.validationResult(this.batchId);
			try (InputStream in = Files.newInputStream(file)) {
				this.blobs.put(key, in, Files.size(file));
			}
			RequestStatus status = this.batches.settle(this.batchId, key, null);
			contribution.incrementWriteCount(lines);
			logger.info(outcomes(lines));
			logger.info("Batch " + this.batchId + ": validation report " + key + " (" + lines + " entries), status "
					+ status.value());
			chunkContext.getStepContext()
				.getStepExecution()
				.getExecutionContext()
				.putString("batchStatus", status.value());
		}
		finally {
			Files.deleteIfExists(file);
		}
		return RepeatStatus.FINISHED;
	}

	/**
	 * The batch's entries by outcome, once per import: "Enhancement added." per line is
	 * DEBUG ({@link EnhancementResultWriter}), as a result may hold a million lines.
	 */
	private String outcomes(long entries) {
		Map<EntryOutcome, Long> counts = new EnumMap<>(EntryOutcome.class);
		this.jdbc.query(
				"SELECT outcome, COUNT(*) FROM robot_result_validation_entry WHERE batch_id = ? GROUP BY outcome",
				(rs) -> {
					counts.put(EntryOutcome.valueOf(rs.getString(1).toUpperCase(Locale.ROOT)), rs.getLong(2));
				}, this.batchId);
		StringBuilder text = new StringBuilder("Batch ").append(this.batchId)
			.append(": ")
			.append(ValidationMessages.ADDED)
			.append(" (")
			.append(counts.getOrDefault(EntryOutcome.ADDED, 0L))
			.append(" of ")
			.append(entries)
			.append(" entries); other entries:");
		boolean others = false;
		for (Map.Entry<EntryOutcome, Long> count : counts.entrySet()) {
			if (count.getKey() != EntryOutcome.ADDED) {
				text.append(others ? ", " : " ").append(count.getValue()).append(' ').append(count.getKey().value());
				others = true;
			}
		}
		return others ? text.toString() : text.append(" none").toString();
	}

}
