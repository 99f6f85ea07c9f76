package io.batchyard.jobs.manifestupdate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.batchyard.readers.iiif.AssetId;
import tools.jackson.databind.JsonNode;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * A Hydra image of the DLCS API as a {@link BatchAsset}. The asset id is
 * {@code customer/space/id}; without {@code space}, it comes from the {@code @id}
 * ({@code .../customers/{c}/spaces/{s}/images/{a}}).
 */
class BatchAssetProcessor implements ItemProcessor<JsonNode, BatchAsset> {

	private static final Pattern RESOURCE = Pattern.compile(".*/customers/(\\d+)/spaces/(\\d+)/images/([^/?#]+)$");

	private final long customer;

	BatchAssetProcessor(long customer) {
		this.customer = customer;
	}

	@Override
	public BatchAsset process(JsonNode image) {
		return new BatchAsset(assetId(image).toString(), integer(image, "width"), integer(image, "height"),
				image.path("ingesting").asBoolean(false), error(image));
	}

	private AssetId assetId(JsonNode image) {
		String id = image.path("id").asString(null);
		if (id != null && id.contains("/")) {
			return AssetId.parse(id);
		}
		if (id != null && image.path("space").canConvertToInt()) {
			return AssetId.parse(this.customer + "/" + image.path("space").intValue() + "/" + id);
		}
		String resource = image.path("@id").asString("");
		Matcher matcher = RESOURCE.matcher(resource);
		if (matcher.matches()) {
			return AssetId.parse(matcher.group(1) + "/" + matcher.group(2) + "/" + matcher.group(3));
		}
		throw new IllegalArgumentException("DLCS API asset has no usable id: id=" + id + ", @id=" + resource);
	}

	private static Integer integer(JsonNode image, String field) {
		JsonNode value = image.get(field);
		return (value != null && value.isNumber() && value.canConvertToInt() && value.intValue() > 0) ? value.intValue()
				: null;
	}

	private static String error(JsonNode image) {
		String error = image.path("error").asString(null);
		return (error == null || error.isBlank()) ? null : error;
	}

}
