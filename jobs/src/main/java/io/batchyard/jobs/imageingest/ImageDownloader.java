package io.batchyard.jobs.imageingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Downloads one image: HTTP GET with connect and read timeouts, redirects followed by
 * hand (at most a configured number, each target checked by the {@link UrlPolicy}), a
 * {@code 200} with an {@code image/*} content type required, and a body larger than the
 * limit rejected, never truncated.
 */
public class ImageDownloader {

	private final HttpClient client;

	private final UrlPolicy policy;

	private final Duration readTimeout;

	private final int maxRedirects;

	private final long maxBytes;

	public ImageDownloader(UrlPolicy policy, Duration connectTimeout, Duration readTimeout, int maxRedirects,
			long maxBytes) {
		this.client = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.policy = policy;
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
			HttpResponse<InputStream> response = send(target);
			int status = response.statusCode();
			if (status >= 300 && status < 400 && status != 304) {
				close(response);
				Optional<String> location = response.headers().firstValue("Location");
				if (location.isEmpty()) {
					throw new ImageRejectedException(
							"Failed to download image: status code " + status + " without a Location");
				}
				if (redirects == this.maxRedirects) {
					throw new ImageRejectedException(
							"Failed to download image: more than " + this.maxRedirects + " redirects");
				}
				try {
					target = target.resolve(location.get());
				}
				catch (IllegalArgumentException ex) {
					throw new ImageRejectedException("Failed to download image: invalid redirect " + location.get());
				}
				continue;
			}
			if (status != 200) {
				close(response);
				throw new ImageRejectedException("Failed to download image: status code " + status);
			}
			String contentType = response.headers().firstValue("Content-Type").orElse("");
			if (!contentType.toLowerCase(Locale.ROOT).startsWith("image/")) {
				close(response);
				throw new ImageRejectedException(
						"Failed to download image: content type '" + contentType + "' is not an image");
			}
			long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
			if (declared > this.maxBytes) {
				close(response);
				throw tooLarge();
			}
			return body(response);
		}
	}

	private HttpResponse<InputStream> send(URI target) throws ImageRejectedException {
		HttpRequest request = HttpRequest.newBuilder(target).timeout(this.readTimeout).GET().build();
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofInputStream());
		}
		catch (HttpTimeoutException ex) {
			throw new ImageRejectedException("Failed to download image: timed out after " + this.readTimeout);
		}
		catch (IOException ex) {
			throw new ImageRejectedException("Failed to download image: " + describe(ex));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ImageRejectedException("Failed to download image: interrupted");
		}
	}

	private byte[] body(HttpResponse<InputStream> response) throws ImageRejectedException {
		try (InputStream in = response.body()) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[64 * 1024];
			long total = 0;
			for (int read; (read = in.read(buffer)) != -1;) {
				total += read;
				if (total > this.maxBytes) {
					throw tooLarge();
				}
				out.write(buffer, 0, read);
			}
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new ImageRejectedException("Failed to download image: " + describe(ex));
		}
	}

	private ImageRejectedException tooLarge() {
		return new ImageRejectedException("Image too large: more than " + this.maxBytes + " bytes");
	}

	private static void close(HttpResponse<InputStream> response) {
		try {
			response.body().close();
		}
		catch (IOException ex) {
			// nothing more to read from it anyway
		}
	}

	private static String describe(IOException ex) {
		return (ex.getMessage() != null) ? ex.getClass().getSimpleName() + ": " + ex.getMessage()
				: ex.getClass().getSimpleName();
	}

}
