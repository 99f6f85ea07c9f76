package io.batchyard.launcher.imagebatch;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A submitted batch, validated as the original service validated it, with its error
 * texts: {@code No images provided}, {@code Maximum 100 images per batch}, {@code Image
 * {i}: either url or base64 must be provided}, {@code Image {i}: only one of url or
 * base64 should be provided}, {@code Invalid request body: ...}.
 *
 * @param images the images in order
 */
record ImageBatchRequest(List<Image> images) {

	static final int MAX_IMAGES = 100;

	static ImageBatchRequest parse(byte[] body, JsonMapper json) {
		JsonNode root;
		try {
			root = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw ImageBatchException.badRequest("Invalid request body: " + ex.getOriginalMessage());
		}
		if (root == null || root.isMissingNode() || !root.isObject()) {
			throw ImageBatchException.badRequest("Invalid request body: expected a JSON object with \"images\"");
		}
		JsonNode images = root.path("images");
		if (images.isMissingNode() || images.isNull() || (images.isArray() && images.isEmpty())) {
			throw ImageBatchException.badRequest("No images provided");
		}
		if (!images.isArray()) {
			throw ImageBatchException.badRequest("Invalid request body: \"images\" must be an array");
		}
		if (images.size() > MAX_IMAGES) {
			throw ImageBatchException.badRequest("Maximum " + MAX_IMAGES + " images per batch");
		}
		List<Image> parsed = new ArrayList<>();
		for (int i = 0; i < images.size(); i++) {
			JsonNode image = images.get(i);
			if (!image.isObject()) {
				throw ImageBatchException.badRequest("Invalid request body: image " + i + " must be an object");
			}
			String url = text(image, "url", i);
			String base64 = text(image, "base64", i);
			String name = text(image, "name", i);
			if (url == null && base64 == null) {
				throw ImageBatchException.badRequest("Image " + i + ": either url or base64 must be provided");
			}
			if (url != null && base64 != null) {
				throw ImageBatchException.badRequest("Image " + i + ": only one of url or base64 should be provided");
			}
			parsed.add(new Image(url, base64, name));
		}
		return new ImageBatchRequest(List.copyOf(parsed));
	}

	/** A string field; empty counts as absent, as in the original service. */
	private static String text(JsonNode image, String field, int index) {
		JsonNode value = image.path(field);
		if (value.isMissingNode() || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw ImageBatchException
				.badRequest("Invalid request body: \"" + field + "\" of image " + index + " must be a string");
		}
		return value.asString().isEmpty() ? null : value.asString();
	}

	/**
	 * One submitted image.
	 *
	 * @param url the URL, or {@code null}
	 * @param base64 the base64 payload, or {@code null}
	 * @param name the file name, or {@code null}
	 */
	record Image(String url, String base64, String name) {

	}

}
