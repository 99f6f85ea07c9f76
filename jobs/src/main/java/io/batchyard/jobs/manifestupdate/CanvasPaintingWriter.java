package io.batchyard.jobs.manifestupdate;

import java.time.Clock;
import java.time.OffsetDateTime;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Step 4: sets thumbnail, static size, error and {@code ingesting = false} on every
 * canvas painting of the manifest that paints the asset. Idempotent.
 */
class CanvasPaintingWriter implements ItemWriter<CanvasUpdate> {

	private final JdbcTemplate jdbc;

	private final long customer;

	private final String manifestId;

	private final Clock clock;

	CanvasPaintingWriter(JdbcTemplate jdbc, long customer, String manifestId, Clock clock) {
		this.jdbc = jdbc;
		this.customer = customer;
		this.manifestId = manifestId;
		this.clock = clock;
	}

	@Override
	public void write(Chunk<? extends CanvasUpdate> chunk) {
		OffsetDateTime now = OffsetDateTime.now(this.clock);
		for (CanvasUpdate update : chunk) {
			this.jdbc.update(
					"UPDATE canvas_paintings SET thumbnail = ?, static_width = ?, static_height = ?, ingesting = FALSE,"
							+ " error = ?, modified = ? WHERE customer_id = ? AND manifest_id = ? AND asset_id = ?",
					update.thumbnail(), update.width(), update.height(), update.error(), now, this.customer,
					this.manifestId, update.assetId());
		}
	}

}
