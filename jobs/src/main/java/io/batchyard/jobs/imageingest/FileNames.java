package io.batchyard.jobs.imageingest;

/**
 * The file name an image is stored under, {@code {trace_id}/{filename}}: the submitted
 * name without any directory part, only letters, digits, {@code .}, {@code _} and
 * {@code -} (others become {@code _}), no leading dots (so never {@code ..}), at most 200
 * characters; otherwise the original service's default {@code url_image_{i}_{trace8}.jpg}
 * or {@code base64_image_{i}_{trace8}.jpg}.
 */
public final class FileNames {

	private static final int MAX_LENGTH = 200;

	private FileNames() {
	}

	/**
	 * The stored file name.
	 * @param submitted the submitted name, or {@code null}
	 * @param fromUrl whether the image comes from a URL (else base64)
	 * @param index the image's index in its batch
	 * @param traceId the image's trace id
	 * @return a safe file name
	 */
	public static String of(String submitted, boolean fromUrl, int index, String traceId) {
		String name = (submitted != null) ? sanitise(submitted) : "";
		if (name.isEmpty()) {
			return (fromUrl ? "url" : "base64") + "_image_" + index + "_" + traceId.substring(0, 8) + ".jpg";
		}
		return name;
	}

	static String sanitise(String submitted) {
		String name = submitted.strip();
		int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
		name = name.substring(slash + 1);
		StringBuilder safe = new StringBuilder(name.length());
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
					|| c == '_' || c == '-';
			safe.append(plain ? c : '_');
		}
		int start = 0;
		while (start < safe.length() && safe.charAt(start) == '.') {
			start++;
		}
		String result = safe.substring(start);
		return (result.length() > MAX_LENGTH) ? result.substring(result.length() - MAX_LENGTH) : result;
	}

}
