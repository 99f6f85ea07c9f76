package io.batchyard.jobs.imageingest;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The image batches and their images in the database: what the API submits and reads, and
 * what {@code imageIngestJob} updates. A batch's completed and failed counts are always
 * counted from its image rows, never kept as counters.
 */
public class ImageBatches {

	public static final String PENDING = "pending";

	public static final String PROCESSING = "processing";

	public static final String COMPLETED = "completed";

	public static final String FAILED = "failed";

	public static final String CANCELLED = "cancelled";

	private static final String BATCH_COLUMNS = "b.id, b.status, b.total_images, b.created_at, b.updated_at,"
			+ " b.completed_at, (SELECT COUNT(*) FROM image_batch_images i WHERE i.batch_id = b.id AND i.status = '"
			+ COMPLETED + "') AS completed_count, (SELECT COUNT(*) FROM image_batch_images i"
			+ " WHERE i.batch_id = b.id AND i.status = '" + FAILED + "') AS failed_count";

	private static final String IMAGE_COLUMNS = "batch_id, idx, original_filename, status, trace_id, processed_path,"
			+ " start_time, end_time, error";

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final String startImageSql;

	public ImageBatches(JdbcTemplate jdbc, Clock clock) {
		this(jdbc, clock, "BATCH_");
	}

	/**
	 * Creates the batches.
	 * @param jdbc the database
	 * @param clock the clock
	 * @param batchTablePrefix the prefix of Spring Batch's tables
	 * ({@code spring.batch.jdbc.table-prefix})
	 */
	public ImageBatches(JdbcTemplate jdbc, Clock clock, String batchTablePrefix) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.startImageSql = "UPDATE image_batch_images SET status = ?, start_time = COALESCE(start_time, ?)"
				+ " WHERE batch_id = ? AND idx = ? AND status = ?"
				+ " AND EXISTS (SELECT 1 FROM image_batches b WHERE b.id = ? AND b.status = ?)"
				+ " AND EXISTS (SELECT 1 FROM " + batchTablePrefix + "JOB_EXECUTION e"
				+ " WHERE e.JOB_EXECUTION_ID = ? AND e.STATUS IN ('STARTING', 'STARTED'))";
	}

	/**
	 * Inserts a new pending batch and its images (call in one transaction).
	 * @param id the batch id
	 * @param images the images in index order
	 * @return the creation time
	 */
	public Instant create(String id, List<NewImage> images) {
		OffsetDateTime now = now();
		this.jdbc.update("INSERT INTO image_batches (id, status, total_images, created_at, updated_at)"
				+ " VALUES (?, ?, ?, ?, ?)", id, PENDING, images.size(), now, now);
		this.jdbc.batchUpdate(
				"INSERT INTO image_batch_images (batch_id, idx, original_filename, source_url,"
						+ " source_key, status, trace_id, group_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				images, images.size(), (ps, image) -> {
					ps.setString(1, id);
					ps.setInt(2, image.index());
					ps.setString(3, image.filename());
					ps.setString(4, image.sourceUrl());
					ps.setString(5, image.sourceKey());
					ps.setString(6, PENDING);
					ps.setString(7, image.traceId());
					ps.setString(8, image.groupId());
				});
		return now.toInstant();
	}

	/**
	 * Deletes a batch whose job could not be launched.
	 * @param id the batch id
	 */
	public void delete(String id) {
		this.jdbc.update("DELETE FROM image_batch_images WHERE batch_id = ?", id);
		this.jdbc.update("DELETE FROM image_batches WHERE id = ?", id);
	}

	public Optional<ImageBatch> find(String id) {
		List<ImageBatch> batches = this.jdbc.query("SELECT " + BATCH_COLUMNS + " FROM image_batches b WHERE b.id = ?",
				ImageBatches::batch, id);
		return batches.stream().findFirst();
	}

	/**
	 * Every batch, newest first.
	 * @return the batches
	 */
	public List<ImageBatch> list() {
		return this.jdbc.query("SELECT " + BATCH_COLUMNS + " FROM image_batches b ORDER BY b.created_at DESC, b.id",
				ImageBatches::batch);
	}

	public List<ImageRecord> images(String batchId) {
		return this.jdbc.query("SELECT " + IMAGE_COLUMNS + " FROM image_batch_images WHERE batch_id = ? ORDER BY idx",
				ImageBatches::image, batchId);
	}

	/**
	 * The images of many batches at once.
	 * @return images by batch id, each list in index order
	 */
	public Map<String, List<ImageRecord>> allImages() {
		Map<String, List<ImageRecord>> images = new LinkedHashMap<>();
		this.jdbc.query("SELECT " + IMAGE_COLUMNS + " FROM image_batch_images ORDER BY batch_id, idx",
				(ResultSet rs) -> {
					ImageRecord image = image(rs, 0);
					images.computeIfAbsent(rs.getString("batch_id"), (key) -> new java.util.ArrayList<>()).add(image);
				});
		return images;
	}

	/**
	 * Marks a batch processing when its job starts (a cancelled batch stays cancelled).
	 * @param id the batch id
	 */
	public void started(String id) {
		this.jdbc.update("UPDATE image_batches SET status = ?, updated_at = ? WHERE id = ? AND status = ?", PROCESSING,
				now(), id, PENDING);
	}

	/**
	 * A page of the batch's images that have not ended, in index order.
	 * @param batchId the batch
	 * @param afterIndex the index the page starts after ({@code -1} for the first)
	 * @param limit the page size
	 * @return the images
	 */
	public List<ImageRow> unfinishedImages(String batchId, int afterIndex, int limit) {
		return this.jdbc.query(
				"SELECT batch_id, idx, original_filename, source_url, source_key, trace_id, group_id"
						+ " FROM image_batch_images WHERE batch_id = ? AND idx > ? AND status IN (?, ?) ORDER BY idx"
						+ " FETCH FIRST " + limit + " ROWS ONLY",
				(rs, row) -> new ImageRow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
						rs.getString(5), rs.getString(6), rs.getString(7)),
				batchId, afterIndex, PENDING, PROCESSING);
	}

	/**
	 * Marks an image processing as its fetch is about to begin, if it still may: its
	 * batch is {@code processing} (not cancelled) and the job execution working on it is
	 * still running (not stopping, not stopped, not recovered). One statement, in a
	 * transaction of its own, so that the check and the mark cannot be separated, readers
	 * see the mark at once, and once a cancel or a stop is committed no image starts. The
	 * step itself only notices a stop at its next chunk boundary, which is why images
	 * read ahead ask here. A restart keeps the first start time.
	 * @param batchId the batch
	 * @param index the image
	 * @param jobExecutionId the execution that would fetch it
	 * @return whether the image may start (and is now marked processing)
	 */
	public boolean startImage(String batchId, int index, long jobExecutionId) {
		return start(batchId, index, jobExecutionId) != Start.NOT_STARTED;
	}

	/**
	 * As {@link #startImage}, telling also whether the image was pending: a pending image
	 * has never had a blob (a blob is written only after the image was marked processing,
	 * in its own committed statement, and a discarded image goes back to pending only
	 * after its fetch ended and its blob was deleted), so its fetch need not ask the
	 * store first. An image left processing by an earlier execution may have been stored
	 * before that execution died. One statement for a pending image, a second one for an
	 * image left processing.
	 * @param batchId the batch
	 * @param index the image
	 * @param jobExecutionId the execution that would fetch it
	 * @return how the image started, or {@link Start#NOT_STARTED}
	 */
	public Start start(String batchId, int index, long jobExecutionId) {
		if (this.jdbc.update(this.startImageSql, PROCESSING, now(), batchId, index, PENDING, batchId, PROCESSING,
				jobExecutionId) == 1) {
			return Start.FROM_PENDING;
		}
		if (this.jdbc.update(this.startImageSql, PROCESSING, now(), batchId, index, PROCESSING, batchId, PROCESSING,
				jobExecutionId) == 1) {
			return Start.AGAIN;
		}
		return Start.NOT_STARTED;
	}

	/**
	 * Records an image's outcome, once: an image already completed or failed is left as
	 * it is, so a replayed chunk changes nothing.
	 * @param batchId the batch
	 * @param outcome the outcome
	 * @return whether the row changed
	 */
	public boolean imageEnded(String batchId, ImageOutcome outcome) {
		OffsetDateTime now = now();
		return this.jdbc.update(
				"UPDATE image_batch_images SET status = ?, processed_path = ?, error = ?,"
						+ " start_time = COALESCE(start_time, ?), end_time = ? WHERE batch_id = ? AND idx = ?"
						+ " AND status IN (?, ?)",
				outcome.completed() ? COMPLETED : FAILED, outcome.processedPath(), truncate(outcome.error()), now, now,
				batchId, outcome.image().index(), PENDING, PROCESSING) == 1;
	}

	/**
	 * Puts an image whose outcome is discarded back to pending (its stored blob, if any,
	 * is deleted first by the caller): it was started, but will never be recorded.
	 * @param batchId the batch
	 * @param index the image
	 * @return whether it was processing
	 */
	public boolean imageDiscarded(String batchId, int index) {
		return this.jdbc.update("UPDATE image_batch_images SET status = ?, start_time = NULL WHERE batch_id = ?"
				+ " AND idx = ? AND status = ?", PENDING, batchId, index, PROCESSING) == 1;
	}

	public void touch(String id) {
		this.jdbc.update("UPDATE image_batches SET updated_at = ? WHERE id = ?", now(), id);
	}

	/**
	 * Ends a batch whose images all ended: {@code failed} if every image failed, else
	 * {@code completed}. A cancelled or already ended batch is left as it is.
	 * @param id the batch id
	 * @return the batch as it is now
	 */
	public Optional<ImageBatch> finish(String id) {
		ImageBatch batch = find(id).orElse(null);
		if (batch == null) {
			return Optional.empty();
		}
		String status = (batch.total() > 0 && batch.failed() == batch.total()) ? FAILED : COMPLETED;
		OffsetDateTime now = now();
		this.jdbc.update("UPDATE image_batches SET status = ?, completed_at = ?, updated_at = ? WHERE id = ?"
				+ " AND status IN (?, ?)", status, now, now, id, PENDING, PROCESSING);
		return find(id);
	}

	/**
	 * Marks a batch cancelled unless it already ended.
	 * @param id the batch id
	 * @return whether it was cancelled now
	 */
	public boolean cancel(String id) {
		OffsetDateTime now = now();
		return this.jdbc.update("UPDATE image_batches SET status = ?, completed_at = ?, updated_at = ? WHERE id = ?"
				+ " AND status IN (?, ?)", CANCELLED, now, now, id, PENDING, PROCESSING) == 1;
	}

	/**
	 * The blob keys of a batch's base64 payloads.
	 * @param id the batch id
	 * @return the keys
	 */
	public List<String> sourceKeys(String id) {
		return this.jdbc.queryForList(
				"SELECT source_key FROM image_batch_images WHERE batch_id = ? AND source_key IS NOT NULL ORDER BY idx",
				String.class, id);
	}

	/**
	 * Ended batches whose end is before a cut-off.
	 * @param cutoff the cut-off
	 * @return their ids, oldest first
	 */
	public List<String> endedBefore(Instant cutoff) {
		return this.jdbc.queryForList(
				"SELECT id FROM image_batches WHERE completed_at < ? AND status IN (?, ?, ?)"
						+ " ORDER BY completed_at, id",
				String.class, cutoff.atOffset(ZoneOffset.UTC), COMPLETED, FAILED, CANCELLED);
	}

	private OffsetDateTime now() {
		return OffsetDateTime.now(this.clock);
	}

	private static String truncate(String error) {
		return (error != null && error.length() > 4000) ? error.substring(0, 4000) : error;
	}

	private static ImageBatch batch(ResultSet rs, int row) throws SQLException {
		return new ImageBatch(rs.getString("id"), rs.getString("status"), rs.getInt("total_images"),
				rs.getInt("completed_count"), rs.getInt("failed_count"), instant(rs, "created_at"),
				instant(rs, "updated_at"), instant(rs, "completed_at"));
	}

	private static ImageRecord image(ResultSet rs, int row) throws SQLException {
		return new ImageRecord(rs.getInt("idx"), rs.getString("original_filename"), rs.getString("status"),
				rs.getString("trace_id"), rs.getString("processed_path"), instant(rs, "start_time"),
				instant(rs, "end_time"), rs.getString("error"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/**
	 * How {@link #start} started an image.
	 */
	public enum Start {

		/** Not started: the batch was cancelled or the execution is stopping. */
		NOT_STARTED,

		/** It was pending: it has no blob. */
		FROM_PENDING,

		/**
		 * It was left processing by an earlier execution, which may have stored it before
		 * it ended.
		 */
		AGAIN

	}

	/**
	 * An image to insert.
	 *
	 * @param index its index in the batch
	 * @param filename the stored file name
	 * @param sourceUrl the URL, or {@code null}
	 * @param sourceKey the blob with its base64 payload, or {@code null}
	 * @param traceId its trace id
	 * @param groupId its group id
	 */
	public record NewImage(int index, String filename, String sourceUrl, String sourceKey, String traceId,
			String groupId) {

	}

	/**
	 * A batch with its counts.
	 *
	 * @param id the batch id (the API's {@code job_id})
	 * @param status pending, processing, completed, failed or cancelled
	 * @param total the number of images
	 * @param completed images completed
	 * @param failed images failed
	 * @param createdAt submitted at
	 * @param updatedAt last changed at
	 * @param completedAt ended at (completed, failed or cancelled), or {@code null}
	 */
	public record ImageBatch(String id, String status, int total, int completed, int failed, Instant createdAt,
			Instant updatedAt, Instant completedAt) {

		/**
		 * (completed + failed) / total × 100, rounded to two decimals.
		 * @return the progress in percent
		 */
		public double progress() {
			return (this.total == 0) ? 100.0
					: Math.round((this.completed + this.failed) * 10000.0 / this.total) / 100.0;
		}

		public boolean ended() {
			return COMPLETED.equals(this.status) || FAILED.equals(this.status) || CANCELLED.equals(this.status);
		}

	}

	/**
	 * One image of a batch.
	 *
	 * @param index its index
	 * @param filename its file name
	 * @param status pending, processing, completed or failed
	 * @param traceId its trace id
	 * @param processedPath where it is stored, once completed
	 * @param startTime when it started
	 * @param endTime when it ended
	 * @param error why it failed
	 */
	public record ImageRecord(int index, String filename, String status, String traceId, String processedPath,
			Instant startTime, Instant endTime, String error) {

		public boolean ended() {
			return COMPLETED.equals(this.status) || FAILED.equals(this.status);
		}

	}

}
