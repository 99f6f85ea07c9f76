package io.batchyard.jobs.manifestupdate;

import java.time.Clock;
import java.time.OffsetDateTime;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Upserts step 2's results into {@code batch_assets}, in the chunk transaction: a
 * replayed chunk rewrites the same rows.
 */
class BatchAssetWriter implements ItemWriter<BatchAsset> {

	private final JdbcTemplate jdbc;

	private final long customer;

	private final long batch;

	private final Clock clock;

	BatchAssetWriter(JdbcTemplate jdbc, long customer, long batch, Clock clock) {
		this.jdbc = jdbc;
		this.customer = customer;
		this.batch = batch;
		this.clock = clock;
	}

	@Override
	public void write(Chunk<? extends BatchAsset> chunk) {
		OffsetDateTime now = OffsetDateTime.now(this.clock);
		for (BatchAsset asset : chunk) {
			int updated = this.jdbc.update(
					"UPDATE batch_assets SET customer_id = ?, width = ?, height = ?, ingesting = ?, error = ?, fetched = ?"
							+ " WHERE batch_id = ? AND asset_id = ?",
					this.customer, asset.width(), asset.height(), asset.ingesting(), asset.error(), now, this.batch,
					asset.assetId());
			if (updated == 0) {
				this.jdbc.update(
						"INSERT INTO batch_assets (batch_id, asset_id, customer_id, width, height, ingesting, error, fetched)"
								+ " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
						this.batch, asset.assetId(), this.customer, asset.width(), asset.height(), asset.ingesting(),
						asset.error(), now);
			}
		}
	}

}
