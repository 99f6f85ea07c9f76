package io.batchyard.jobs.manifestupdate;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.iiif.AssetId;
import io.batchyard.readers.iiif.ManifestMerger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Step 5 of {@code manifestUpdateJob}: merges the projected canvases into the manifest's
 * JSON, gives it the Presentation API's id, publishes it and marks the batch Completed.
 * <p>
 * Idempotent at every point it can die: the staged manifest is deleted only after the
 * published one is written, so a restart merges the staged copy again into the same
 * bytes; if the staged copy is already gone, the published manifest is merged again
 * (merging is idempotent). The database update runs in the step's transaction, after the
 * blobs: a failure there leaves the blobs published and the step restartable.
 */
public class ManifestPublisher {

	private static final Log logger = LogFactory.getLog(ManifestPublisher.class);

	private final JdbcTemplate jdbc;

	private final BlobStore blobs;

	private final JsonMapper mapper;

	private final String presentationApiUrl;

	/**
	 * @param jdbc the presentation database
	 * @param blobs the manifests' storage
	 * @param mapper reads and writes the manifest JSON
	 * @param presentationApiUrl the base of the published manifests' ids
	 */
	public ManifestPublisher(JdbcTemplate jdbc, BlobStore blobs, JsonMapper mapper, URI presentationApiUrl) {
		this.jdbc = jdbc;
		this.blobs = blobs;
		this.mapper = mapper;
		String base = presentationApiUrl.toString();
		this.presentationApiUrl = base.endsWith("/") ? base : base + "/";
	}

	static String stagedKey(long customer, String manifestId) {
		return "staged/" + publishedKey(customer, manifestId);
	}

	static String publishedKey(long customer, String manifestId) {
		return customer + "/manifests/" + manifestId;
	}

	/**
	 * Merges and publishes.
	 * @param customer the customer
	 * @param batch the batch
	 * @param manifestId the manifest
	 * @param now the processing time
	 * @return how many manifest items were merged
	 */
	public int publish(long customer, long batch, String manifestId, OffsetDateTime now) {
		String staged = stagedKey(customer, manifestId);
		String published = publishedKey(customer, manifestId);
		boolean fromStaged = this.blobs.exists(staged);
		if (!fromStaged && !this.blobs.exists(published)) {
			throw new IllegalStateException("Manifest " + manifestId + " of customer " + customer
					+ " has neither a staged copy '" + staged + "' nor a published one '" + published + "'");
		}
		JsonNode tree = this.mapper.readTree(this.blobs.read(fromStaged ? staged : published));
		if (!(tree instanceof ObjectNode manifest)) {
			throw new IllegalStateException(
					"Manifest blob '" + (fromStaged ? staged : published) + "' is not a JSON object");
		}
		int merged = ManifestMerger.merge(manifest, assetOfCanvas(customer, manifestId), projected(batch));
		// The staged skeleton carries whatever id its author gave it; the published one
		// is the Presentation API's own (hierarchical slugs are not modelled here).
		manifest.put("id", this.presentationApiUrl + publishedKey(customer, manifestId));
		this.blobs.write(published, this.mapper.writeValueAsBytes(manifest));
		if (fromStaged) {
			this.blobs.delete(staged);
		}
		this.jdbc.update("UPDATE manifests SET last_processed = ? WHERE id = ? AND customer_id = ?", now, manifestId,
				customer);
		this.jdbc.update("UPDATE batches SET status = ?, processed = ? WHERE id = ?", BatchCompletion.COMPLETED, now,
				batch);
		logger.info("Manifest " + manifestId + " of customer " + customer + ": " + merged + " item(s) merged from "
				+ (fromStaged ? staged : published) + " into " + published);
		return merged;
	}

	private Map<String, AssetId> assetOfCanvas(long customer, String manifestId) {
		Map<String, AssetId> assets = new HashMap<>();
		this.jdbc.query("SELECT canvas_id, asset_id FROM canvas_paintings WHERE customer_id = ? AND manifest_id = ?"
				+ " AND asset_id IS NOT NULL", (rs) -> {
					assets.put(rs.getString(1), AssetId.parse(rs.getString(2)));
				}, customer, manifestId);
		return assets;
	}

	private Map<AssetId, JsonNode> projected(long batch) {
		Map<AssetId, JsonNode> canvases = new LinkedHashMap<>();
		this.jdbc.query("SELECT asset_id, canvas_json FROM batch_canvases WHERE batch_id = ? ORDER BY asset_id",
				(rs) -> {
					canvases.put(AssetId.parse(rs.getString(1)), this.mapper.readTree(rs.getString(2)));
				}, batch);
		return canvases;
	}

}
