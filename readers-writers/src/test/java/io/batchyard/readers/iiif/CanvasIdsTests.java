package io.batchyard.readers.iiif;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CanvasIdsTests {

	@Test
	void takesTheThreeSegmentsBeforeTheCanvasMarker() {
		assertThat(CanvasIds.assetId("https://dlc.services/iiif-resource/2/5/page-001/canvas/c/0"))
			.isEqualTo(new AssetId(2, 5, "page-001"));
	}

	@Test
	void namesTheCanvasIdThatCannotBeParsed() {
		assertThatIllegalArgumentException().isThrownBy(() -> CanvasIds.assetId("https://dlc.services/2/5/x/canvas/1"))
			.withMessage("Canvas id 'https://dlc.services/2/5/x/canvas/1' cannot be mapped to an asset:"
					+ " it has no '/canvas/c/'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CanvasIds.assetId("https://dlc.services/two/5/x/canvas/c/1"))
			.withMessage("Canvas id 'https://dlc.services/two/5/x/canvas/c/1' cannot be mapped to an asset:"
					+ " AssetId 'two/5/x' is invalid. Must be in format customer/space/asset");
	}

	@Test
	void assetIdsFollowTheDlcsRules() {
		assertThat(AssetId.parse("2/5/a b")).hasToString("2/5/a b");
		for (String bad : List.of("2/5", "2/5/a/b", "x/5/a", "2/y/a", "2/5/")) {
			assertThatIllegalArgumentException().isThrownBy(() -> AssetId.parse(bad))
				.withMessage("AssetId '" + bad + "' is invalid. Must be in format customer/space/asset");
		}
	}

	@Test
	void mergesProjectedCanvasesIntoItemsAndMergingAgainChangesNothing() {
		JsonMapper json = JsonMapper.shared();
		ObjectNode manifest = (ObjectNode) json.readTree("""
				{"id":"m","type":"Manifest","items":[
				 {"id":"https://p/2/canvases/c1","type":"Canvas","label":{"en":["one"]}},
				 {"id":"https://p/2/canvases/c2","type":"Canvas","label":{"en":["two"]},"width":5}]}""");
		JsonNode projected = json.readTree("""
				{"items":[{"id":"https://d/2/5/a/canvas/c/0","type":"Canvas","width":30,"height":40,
				 "thumbnail":[{"id":"https://d/thumb/a","type":"Image"}],
				 "items":[{"id":"https://d/2/5/a/canvas/c/0/page","type":"AnnotationPage","items":[
				  {"id":"x","type":"Annotation","motivation":"painting","body":{"id":"https://d/img/a"},
				   "target":"https://d/2/5/a/canvas/c/0"}]}]}]}""");
		Map<AssetId, JsonNode> canvases = CanvasIds.byAsset(projected);

		int merged = ManifestMerger.merge(manifest, Map.of("c1", AssetId.parse("2/5/a")), canvases);
		String once = json.writeValueAsString(manifest);
		ManifestMerger.merge(manifest, Map.of("c1", AssetId.parse("2/5/a")), canvases);

		assertThat(merged).isOne();
		assertThat(json.writeValueAsString(manifest)).isEqualTo(once);
		JsonNode first = manifest.path("items").path(0);
		assertThat(first.path("label").path("en").path(0).asString()).isEqualTo("one");
		assertThat(first.path("width").intValue()).isEqualTo(30);
		assertThat(first.path("thumbnail").path(0).path("id").asString()).isEqualTo("https://d/thumb/a");
		assertThat(first.path("items").path(0).path("id").asString()).isEqualTo("https://p/2/canvases/c1/page/1");
		assertThat(first.path("items").path(0).path("items").path(0).path("target").asString())
			.isEqualTo("https://p/2/canvases/c1");
		assertThat(first.path("items").path(0).path("items").path(0).path("body").path("id").asString())
			.isEqualTo("https://d/img/a");
		assertThat(manifest.path("items").path(1).toString()).isEqualTo(
				"{\"id\":\"https://p/2/canvases/c2\",\"type\":\"Canvas\",\"label\":{\"en\":[\"two\"]},\"width\":5}");
	}

}
