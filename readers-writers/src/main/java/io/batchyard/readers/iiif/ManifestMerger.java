package io.batchyard.readers.iiif;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges the canvases the DLCS Orchestrator projected for a manifest's assets into that
 * manifest's own {@code items}. Each item keeps its id, label and the other properties it
 * has; it takes {@code width}, {@code height}, {@code duration}, {@code thumbnail} and
 * its painting annotations from the projected canvas of its asset. Items whose canvas
 * paints no projected asset are left as they are. Merging an already merged manifest
 * again changes nothing.
 */
public final class ManifestMerger {

	private static final String[] COPIED = { "width", "height", "duration", "thumbnail" };

	private ManifestMerger() {
	}

	/**
	 * Merges in place and returns the manifest.
	 * @param manifest the manifest to update (a IIIF Presentation 3 manifest)
	 * @param assetOfCanvas the asset each canvas paints, by the canvas's own id (the last
	 * path segment of the item id)
	 * @param projected the projected canvases by asset
	 * @return how many items were merged
	 */
	public static int merge(ObjectNode manifest, Map<String, AssetId> assetOfCanvas, Map<AssetId, JsonNode> projected) {
		JsonNode items = manifest.path("items");
		if (!(items instanceof ArrayNode array)) {
			return 0;
		}
		int merged = 0;
		for (JsonNode node : array) {
			if (!(node instanceof ObjectNode item)) {
				continue;
			}
			String id = item.path("id").asString("");
			AssetId asset = assetOfCanvas.get(id.substring(id.lastIndexOf('/') + 1));
			JsonNode canvas = (asset != null) ? projected.get(asset) : null;
			if (canvas == null) {
				continue;
			}
			for (String property : COPIED) {
				JsonNode value = canvas.get(property);
				if (value != null) {
					item.set(property, value.deepCopy());
				}
				else {
					item.remove(property);
				}
			}
			item.set("items", rebase(canvas.path("items"), id));
			merged++;
		}
		return merged;
	}

	/**
	 * The projected annotation pages, their ids and targets moved under the item's own
	 * canvas id so the manifest stays self-consistent.
	 */
	private static JsonNode rebase(JsonNode pages, String canvasId) {
		ArrayNode copy = (pages instanceof ArrayNode array) ? array.deepCopy()
				: tools.jackson.databind.json.JsonMapper.shared().createArrayNode();
		int p = 1;
		for (JsonNode page : copy) {
			if (page instanceof ObjectNode pageNode) {
				pageNode.put("id", canvasId + "/page/" + p);
				int a = 1;
				for (JsonNode annotation : pageNode.path("items")) {
					if (annotation instanceof ObjectNode annotationNode) {
						annotationNode.put("id", canvasId + "/page/" + p + "/annotation/" + a++);
						annotationNode.put("target", canvasId);
					}
				}
			}
			p++;
		}
		return copy;
	}

}
