package io.batchyard.readers.iiif;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Maps the canvases of a DLCS Orchestrator named-query manifest to their assets: each
 * canvas id contains {@code /canvas/c/}, and the three path segments before that marker
 * are {@code customer/space/asset}.
 */
public final class CanvasIds {

	static final String MARKER = "/canvas/c/";

	private CanvasIds() {
	}

	/**
	 * The asset a canvas id names.
	 * @param canvasId for example
	 * {@code https://dlc.services/iiif-img/v3/2/1/foo/canvas/c/1}
	 * @return the asset id
	 * @throws IllegalArgumentException naming the canvas id when it cannot be parsed
	 */
	public static AssetId assetId(String canvasId) {
		int marker = (canvasId != null) ? canvasId.indexOf(MARKER) : -1;
		if (marker < 0) {
			throw new IllegalArgumentException(
					"Canvas id '" + canvasId + "' cannot be mapped to an asset: it has no '" + MARKER + "'");
		}
		String[] segments = canvasId.substring(0, marker).split("/");
		if (segments.length < 3) {
			throw new IllegalArgumentException("Canvas id '" + canvasId
					+ "' cannot be mapped to an asset: fewer than 3 segments before '" + MARKER + "'");
		}
		int n = segments.length;
		String text = segments[n - 3] + "/" + segments[n - 2] + "/" + segments[n - 1];
		try {
			return AssetId.parse(text);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"Canvas id '" + canvasId + "' cannot be mapped to an asset: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Every canvas of a IIIF Presentation 3 manifest by the asset it paints.
	 * @param manifest the manifest
	 * @return the canvases, in manifest order
	 * @throws IllegalArgumentException naming the first canvas id that cannot be parsed
	 */
	public static Map<AssetId, JsonNode> byAsset(JsonNode manifest) {
		Map<AssetId, JsonNode> canvases = new LinkedHashMap<>();
		for (JsonNode canvas : manifest.path("items")) {
			canvases.put(assetId(canvas.path("id").asString(null)), canvas);
		}
		return canvases;
	}

}
