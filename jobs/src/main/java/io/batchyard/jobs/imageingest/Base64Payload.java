package io.batchyard.jobs.imageingest;

import java.util.Base64;

/**
 * Decodes a submitted base64 image: an optional {@code data:...;base64,} prefix is
 * stripped (everything up to the first comma, as the original service did), then the
 * standard alphabet is decoded; whitespace and line breaks are tolerated.
 */
public final class Base64Payload {

	private Base64Payload() {
	}

	/**
	 * Decodes.
	 * @param payload the submitted text
	 * @return the bytes
	 * @throws ImageRejectedException when it is not valid base64
	 */
	public static byte[] decode(String payload) throws ImageRejectedException {
		String data = payload.strip();
		if (data.regionMatches(true, 0, "data:", 0, 5)) {
			int comma = data.indexOf(',');
			if (comma < 0) {
				throw new ImageRejectedException("Invalid base64 image data: a data: URL without a comma");
			}
			data = data.substring(comma + 1);
		}
		data = data.replaceAll("\\s+", "");
		if (data.isEmpty()) {
			throw new ImageRejectedException("Invalid base64 image data: empty");
		}
		try {
			return Base64.getDecoder().decode(data);
		}
		catch (IllegalArgumentException ex) {
			throw new ImageRejectedException("Invalid base64 image data: " + ex.getMessage());
		}
	}

}
