package io.batchyard.launcher.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, sending the request target byte for byte: the JDK's and
 * Spring's clients normalise or re-encode a path, and the point is to send the paths they
 * would not.
 */
final class RawHttp {

	private final int port;

	RawHttp(int port) {
		this.port = port;
	}

	/**
	 * Sends one request as the operator of the test configuration.
	 * @param method the method
	 * @param target the request target, sent as is
	 * @param headers extra headers
	 * @return the response
	 */
	Response send(String method, String target, Map<String, String> headers) {
		StringBuilder request = new StringBuilder();
		request.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		request.append("Host: 127.0.0.1:").append(this.port).append("\r\n");
		request.append("Connection: close\r\n");
		request.append("Authorization: Basic ")
			.append(Base64.getEncoder().encodeToString("operator:operator-secret".getBytes(StandardCharsets.UTF_8)))
			.append("\r\n");
		headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
		if (method.equals("POST") || method.equals("PUT")) {
			request.append("Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
		}
		else {
			request.append("\r\n");
		}
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			return Response.parse(socket.getInputStream().readAllBytes());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Response get(String target) {
		return send("GET", target, Map.of());
	}

	record Response(int status, Map<String, String> headers, String body) {

		String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		static Response parse(byte[] raw) throws IOException {
			String text = new String(raw, StandardCharsets.ISO_8859_1);
			int end = text.indexOf("\r\n\r\n");
			if (end < 0) {
				throw new IOException("No complete response: " + text);
			}
			String[] lines = text.substring(0, end).split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
			byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				body = dechunked(body);
			}
			return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
		}

		private static byte[] dechunked(byte[] body) throws IOException {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			InputStream in = new java.io.ByteArrayInputStream(body);
			while (true) {
				StringBuilder size = new StringBuilder();
				int c;
				while ((c = in.read()) != '\n') {
					if (c < 0) {
						throw new IOException("Truncated chunked body");
					}
					if (c != '\r') {
						size.append((char) c);
					}
				}
				int length = Integer.parseInt(size.toString().trim(), 16);
				if (length == 0) {
					return out.toByteArray();
				}
				out.write(in.readNBytes(length));
				in.readNBytes(2);
			}
		}

	}

}
