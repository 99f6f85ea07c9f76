package io.batchyard.jobs.manifestupdate;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import io.batchyard.readers.http.JsonHttpClient;
import io.batchyard.readers.iiif.AssetId;
import io.batchyard.readers.iiif.CanvasIds;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Step 3 of {@code manifestUpdateJob}: the DLCS Orchestrator's named-query projection of
 * a manifest's assets, each canvas mapped to its asset and kept in {@code batch_canvases}
 * for steps 4 and 5.
 */
public class NamedQueryProjection {

	private final JsonHttpClient orchestrator;

	private final URI orchestratorUrl;

	private final String namedQuery;

	private final JdbcTemplate jdbc;

	private final JsonMapper mapper;

	private final Clock clock;

	public NamedQueryProjection(JsonHttpClient orchestrator, URI orchestratorUrl, String namedQuery, JdbcTemplate jdbc,
			JsonMapper mapper, Clock clock) {
		this.orchestrator = orchestrator;
		this.orchestratorUrl = orchestratorUrl;
		this.namedQuery = namedQuery;
		this.jdbc = jdbc;
		this.mapper = mapper;
		this.clock = clock;
	}

	/**
	 * Fetches the projection and replaces the batch's canvases with it.
	 * @param customer the customer
	 * @param batch the batch
	 * @param manifestId the manifest
	 * @return how many canvases the projection has
	 * @throws IllegalArgumentException naming a canvas id that cannot be parsed
	 */
	public int fetch(long customer, long batch, String manifestId) {
		// cacheBust: a stale Orchestrator cache must not leak into the manifest.
		URI uri = this.orchestratorUrl.resolve("iiif-resource/v3/" + customer + "/" + encode(this.namedQuery) + "/"
				+ encode(manifestId) + "?cacheBust=" + this.clock.millis());
		JsonNode manifest = this.orchestrator.get("DLCS Orchestrator named query '" + this.namedQuery + "'", uri);
		Map<AssetId, JsonNode> canvases = CanvasIds.byAsset(manifest);
		this.jdbc.update("DELETE FROM batch_canvases WHERE batch_id = ?", batch);
		canvases.forEach((asset, canvas) -> this.jdbc.update(
				"INSERT INTO batch_canvases (batch_id, asset_id, canvas_id, thumbnail, width, height, canvas_json)"
						+ " VALUES (?, ?, ?, ?, ?, ?, ?)",
				batch, asset.toString(), canvas.path("id").asString(), thumbnail(canvas), integer(canvas, "width"),
				integer(canvas, "height"), this.mapper.writeValueAsString(canvas)));
		return canvases.size();
	}

	private static String thumbnail(JsonNode canvas) {
		JsonNode thumbnail = canvas.path("thumbnail");
		JsonNode first = thumbnail.isArray() ? thumbnail.path(0) : thumbnail;
		String id = first.path("id").asString(null);
		return (id == null || id.isBlank()) ? null : id;
	}

	private static Integer integer(JsonNode canvas, String field) {
		JsonNode value = canvas.get(field);
		return (value != null && value.isNumber() && value.canConvertToInt()) ? value.intValue() : null;
	}

	private static String encode(String segment) {
		return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
