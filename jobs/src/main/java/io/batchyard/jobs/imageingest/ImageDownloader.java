package io.batchyard.jobs.imageingest;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Downloads one image: HTTP GET with a connect timeout and a read timeout (for every
 * read, headers and body alike), redirects followed by hand (at most a configured number,
 * each target checked by the {@link UrlPolicy}), a {@code 200} with an {@code image/*}
 * content type required, and a body larger than the limit rejected, never truncated.
 * <p>
 * Blocking on purpose ({@link HttpURLConnection}, keep-alive connections pooled by the
 * JDK): each download runs on one of the job's bounded threads, so as many images
 * transfer in parallel as there are threads.
 */
public class ImageDownloader {

	private final UrlPolicy policy;

	private final Duration connectTimeout;

	private final Duration readTimeout;

	private final int maxRedirects;

	private final long maxBytes;

	public ImageDownloader(UrlPolicy policy, Duration connectTimeout, Duration readTimeout, int maxRedirects,
			long maxBytes) {
		this.policy = policy;
		this.connectTimeout = connectTimeout;
		this.readTimeout = readTimeout;
		this.maxRedirects = maxRedirects;
		this.maxBytes = maxBytes;
	}

	/**
	 * Downloads an image.
	 * @param url the URL
	 * @return the body
	 * @throws ImageRejectedException when the URL is not allowed, the server did not
	 * answer with an image, or the body is too large
	 */
	public byte[] download(String url) throws ImageRejectedException {
		URI target;
		try {
			target = URI.create(url.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new ImageRejectedException("URL not allowed: " + url + " (not a valid URL)");
		}
		for (int redirects = 0;; redirects++) {
			this.policy.check(target);
			HttpURLConnection connection = open(target);
			try {
				int status = connection.getResponseCode();
				if (status >= 300 && status < 400 && status != 304) {
					String location = connection.getHeaderField("Location");
					discard(connection);
					if (location == null) {
						throw new ImageRejectedException(
								"Failed to download image: status code " + status + " without a Location");
					}
					if (redirects == this.maxRedirects) {
						throw new ImageRejectedException(
								"Failed to download image: more than " + this.maxRedirects + " redirects");
					}
					try {
						target = target.resolve(location);
					}
					catch (IllegalArgumentException ex) {
						throw new ImageRejectedException("Failed to download image: invalid redirect " + location);
					}
					continue;
				}
				if (status != 200) {
					discard(connection);
					throw new ImageRejectedException("Failed to download image: status code " + status);
				}
				String contentType = (connection.getContentType() != null) ? connection.getContentType() : "";
				if (!contentType.toLowerCase(Locale.ROOT).startsWith("image/")) {
					connection.disconnect();
					throw new ImageRejectedException(
							"Failed to download image: content type '" + contentType + "' is not an image");
				}
				long declared = connection.getContentLengthLong();
				if (declared > this.maxBytes) {
					connection.disconnect();
					throw tooLarge();
				}
				return body(connection, declared);
			}
			catch (SocketTimeoutException ex) {
				connection.disconnect();
				throw new ImageRejectedException("Failed to download image: timed out after " + this.readTimeout);
			}
			catch (IOException ex) {
				connection.disconnect();
				throw new ImageRejectedException("Failed to download image: " + describe(ex));
			}
		}
	}

	private HttpURLConnection open(URI target) throws ImageRejectedException {
		try {
			HttpURLConnection connection = (HttpURLConnection) target.toURL().openConnection(Proxy.NO_PROXY);
			connection.setConnectTimeout((int) this.connectTimeout.toMillis());
			connection.setReadTimeout((int) this.readTimeout.toMillis());
			connection.setInstanceFollowRedirects(false);
			connection.setUseCaches(false);
			connection.setRequestMethod("GET");
			return connection;
		}
		catch (MalformedURLException | IllegalArgumentException ex) {
			throw new ImageRejectedException("URL not allowed: " + target + " (not a valid URL)");
		}
		catch (IOException ex) {
			throw new ImageRejectedException("Failed to download image: " + describe(ex));
		}
	}

	private byte[] body(HttpURLConnection connection, long declared) throws IOException, ImageRejectedException {
		try (InputStream in = connection.getInputStream()) {
			if (declared > 0) {
				// A known length (within the limit): read into an array of that size,
				// with no growing buffer and no final copy.
				byte[] body = in.readNBytes((int) declared);
				if (body.length < declared) {
					throw new EOFException("the body ended after " + body.length + " of " + declared + " bytes");
				}
				return body;
			}
			ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
			byte[] buffer = new byte[64 * 1024];
			long total = 0;
			for (int read; (read = in.read(buffer)) != -1;) {
				total += read;
				if (total > this.maxBytes) {
					// Not drained for keep-alive: the rest is never read.
					connection.disconnect();
					throw tooLarge();
				}
				out.write(buffer, 0, read);
			}
			return out.toByteArray();
		}
	}

	/**
	 * Reads a small non-image body away (so the connection can be reused), or drops it.
	 */
	private static void discard(HttpURLConnection connection) {
		try (InputStream in = (connection.getErrorStream() != null) ? connection.getErrorStream()
				: connection.getInputStream()) {
			if (in != null && in.readNBytes(64 * 1024).length == 64 * 1024) {
				connection.disconnect();
			}
		}
		catch (IOException ex) {
			connection.disconnect();
		}
	}

	private ImageRejectedException tooLarge() {
		return new ImageRejectedException("Image too large: more than " + this.maxBytes + " bytes");
	}

	private static String describe(IOException ex) {
		return (ex.getMessage() != null) ? ex.getClass().getSimpleName() + ": " + ex.getMessage()
				: ex.getClass().getSimpleName();
	}

}
