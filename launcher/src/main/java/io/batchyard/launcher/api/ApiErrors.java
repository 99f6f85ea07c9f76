package io.batchyard.launcher.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Which paths answer errors as {@link ApiError} JSON, and how a refusal made outside
 * Spring MVC (the servlet container, the firewall, the error dispatch) is written: the
 * machine-facing paths never get an HTML error page or an empty body.
 */
public final class ApiErrors {

	/** The machine-facing path prefixes; everything else is the dashboard. */
	static final List<String> PREFIXES = List.of("/api", "/enhancement-requests", "/robot-enhancement-batches",
			"/blobs");

	static final String NOT_ACCEPTABLE = "Not acceptable: this API answers application/json only";

	static final String UNSUPPORTED_MEDIA_TYPE = "Content type must be application/json";

	static final String METHOD_NOT_ALLOWED = "Method not allowed";

	private static final int MAX_MESSAGE = 300;

	private ApiErrors() {
	}

	/**
	 * Whether a request path belongs to the API. The raw, undecoded path is judged (the
	 * container may have refused to decode it): path parameters are ignored, repeated
	 * slashes and {@code .} segments collapsed, and escaped unreserved characters
	 * ({@code /%61pi/}) decoded, so that no spelling of an API path gets the HTML page.
	 * @param rawPath the request URI as received, without the query
	 * @return whether errors on it are JSON
	 */
	public static boolean isApiPath(String rawPath) {
		if (rawPath == null) {
			return false;
		}
		String path = normalized(rawPath);
		for (String prefix : PREFIXES) {
			if (path.equals(prefix) || path.startsWith(prefix + "/")) {
				return true;
			}
		}
		return false;
	}

	private static String normalized(String rawPath) {
		StringBuilder path = new StringBuilder(rawPath.length());
		for (String segment : unreservedDecoded(rawPath).split("/")) {
			int parameters = segment.indexOf(';');
			String name = (parameters >= 0) ? segment.substring(0, parameters) : segment;
			if (!name.isEmpty() && !name.equals(".")) {
				path.append('/').append(name);
			}
		}
		return path.toString();
	}

	private static String unreservedDecoded(String path) {
		StringBuilder decoded = new StringBuilder(path.length());
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c == '%' && i + 2 < path.length()) {
				int value = hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2));
				if (value >= 0 && (Character.isLetterOrDigit(value) && value < 128 || "-._~".indexOf(value) >= 0)) {
					decoded.append((char) value);
					i += 2;
					continue;
				}
			}
			decoded.append(c);
		}
		return decoded.toString();
	}

	private static int hex(char c) {
		int digit = Character.digit(c, 16);
		// Large enough that a bad digit makes the whole value negative.
		return (digit >= 0) ? digit : -1000;
	}

	/**
	 * Whether a raw request path is one the servlet container refuses to decode or
	 * normalise: an encoded {@code /}, {@code \\} or NUL, a control or non-ASCII
	 * character, a malformed %-escape, or {@code ..} segments above the root.
	 * @param rawPath the request URI as received
	 * @return whether the path itself is the reason for a 400
	 */
	static boolean isInvalidPath(String rawPath) {
		String lower = rawPath.toLowerCase(Locale.ROOT);
		if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || rawPath.indexOf('\\') >= 0) {
			return true;
		}
		for (int i = 0; i < rawPath.length(); i++) {
			char c = rawPath.charAt(i);
			if (c < 0x21 || c > 0x7e
					|| (c == '%' && (i + 2 >= rawPath.length() || Character.digit(rawPath.charAt(i + 1), 16) < 0
							|| Character.digit(rawPath.charAt(i + 2), 16) < 0))) {
				return true;
			}
		}
		if (!isUtf8(rawPath)) {
			return true;
		}
		int depth = 0;
		for (String segment : unreservedDecoded(rawPath).split("/")) {
			if (segment.equals("..")) {
				depth--;
				if (depth < 0) {
					return true;
				}
			}
			else if (!segment.isEmpty() && !segment.equals(".")) {
				depth++;
			}
		}
		return false;
	}

	private static boolean isUtf8(String escapedPath) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int i = 0; i < escapedPath.length(); i++) {
			char c = escapedPath.charAt(i);
			if (c == '%') {
				bytes.write(Integer.parseInt(escapedPath.substring(i + 1, i + 3), 16));
				i += 2;
			}
			else {
				bytes.write(c);
			}
		}
		try {
			StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray()));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	/**
	 * The error for a status when nothing more specific is known.
	 * @param status the status
	 * @param path the request path, named by a 404
	 * @return the message
	 */
	static String describe(int status, String path) {
		return switch (status) {
			case 400 -> "Bad request";
			case 404 -> "Not found: " + abbreviated(path);
			case 405 -> METHOD_NOT_ALLOWED;
			case 406 -> NOT_ACCEPTABLE;
			case 413 -> "Request too large";
			case 415 -> UNSUPPORTED_MEDIA_TYPE;
			default -> {
				HttpStatus known = HttpStatus.resolve(status);
				yield (known != null) ? known.getReasonPhrase() : "HTTP status " + status;
			}
		};
	}

	/**
	 * Shortens text that may come from the client (a path, a rejected header) to what an
	 * error message needs.
	 * @param text the text
	 * @return at most 300 characters of it
	 */
	static String abbreviated(String text) {
		if (text == null || text.length() <= MAX_MESSAGE) {
			return text;
		}
		return text.substring(0, MAX_MESSAGE) + "…";
	}

	/**
	 * Writes {@code {"error": message, "status": status}} as the whole response, whatever
	 * the request's {@code Accept} header asked for.
	 * @param response the response, not committed
	 * @param status the status
	 * @param message the error
	 * @throws IOException if the response cannot be written
	 */
	public static void write(HttpServletResponse response, int status, String message) throws IOException {
		response.resetBuffer();
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter().write(json(status, message));
		response.flushBuffer();
	}

	/**
	 * The JSON of an error.
	 * @param status the status
	 * @param message the error
	 * @return {@code {"error": message, "status": status}}
	 */
	static String json(int status, String message) {
		return JsonMapper.shared().writeValueAsString(new ApiError(message, status));
	}

}
