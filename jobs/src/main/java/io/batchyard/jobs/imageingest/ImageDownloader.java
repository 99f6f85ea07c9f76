package io.batchyard.jobs.imageingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

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
			// No h2c upgrade attempt on every new plain-HTTP connection.
			.version(HttpClient.Version.HTTP_1_1)
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
			HttpResponse<LimitedBody> response = send(target);
			int status = response.statusCode();
			if (status >= 300 && status < 400 && status != 304) {
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
				throw new ImageRejectedException("Failed to download image: status code " + status);
			}
			String contentType = response.headers().firstValue("Content-Type").orElse("");
			if (!contentType.toLowerCase(Locale.ROOT).startsWith("image/")) {
				throw new ImageRejectedException(
						"Failed to download image: content type '" + contentType + "' is not an image");
			}
			long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
			if (declared > this.maxBytes) {
				throw tooLarge();
			}
			return body(response, declared);
		}
	}

	private HttpResponse<LimitedBody> send(URI target) throws ImageRejectedException {
		HttpRequest request = HttpRequest.newBuilder(target).timeout(this.readTimeout).GET().build();
		AtomicBoolean overLimit = new AtomicBoolean();
		try {
			// Only a 200's body is kept; any other is discarded as it arrives.
			return this.client.send(request,
					(info) -> (info.statusCode() != 200)
							? HttpResponse.BodySubscribers.replacing(new LimitedBody(new byte[0], false))
							: new LimitedBodySubscriber(this.maxBytes,
									info.headers().firstValueAsLong("Content-Length").orElse(-1), overLimit));
		}
		catch (IOException ex) {
			// Cancelling the body past the limit may surface as a cancelled stream.
			if (overLimit.get()) {
				throw tooLarge();
			}
			throw (ex instanceof HttpTimeoutException)
					? new ImageRejectedException("Failed to download image: timed out after " + this.readTimeout)
					: new ImageRejectedException("Failed to download image: " + describe(ex));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ImageRejectedException("Failed to download image: interrupted");
		}
	}

	private byte[] body(HttpResponse<LimitedBody> response, long declared) throws ImageRejectedException {
		LimitedBody body = response.body();
		if (body.tooLarge()) {
			throw tooLarge();
		}
		return body.bytes();
	}

	private ImageRejectedException tooLarge() {
		return new ImageRejectedException("Image too large: more than " + this.maxBytes + " bytes");
	}

	private static String describe(IOException ex) {
		return (ex.getMessage() != null) ? ex.getClass().getSimpleName() + ": " + ex.getMessage()
				: ex.getClass().getSimpleName();
	}

	/**
	 * A body read whole into memory, or given up (and the connection's stream cancelled)
	 * as soon as it passes the limit.
	 */
	record LimitedBody(byte[] bytes, boolean tooLarge) {

	}

	/**
	 * Collects the body's buffers up to the limit; past it, cancels the subscription so
	 * the rest is never read.
	 */
	static final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<LimitedBody> {

		private final CompletableFuture<LimitedBody> result = new CompletableFuture<>();

		private final long limit;

		private final ByteArrayOutputStream out;

		private Flow.Subscription subscription;

		private final AtomicBoolean overLimit;

		private long total;

		LimitedBodySubscriber(long limit, long declared, AtomicBoolean overLimit) {
			this.limit = limit;
			this.overLimit = overLimit;
			this.out = new ByteArrayOutputStream((declared > 0 && declared <= limit) ? (int) declared : 64 * 1024);
		}

		@Override
		public CompletionStage<LimitedBody> getBody() {
			return this.result;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			if (this.result.isDone()) {
				return;
			}
			for (ByteBuffer buffer : buffers) {
				this.total += buffer.remaining();
				if (this.total > this.limit) {
					this.overLimit.set(true);
					this.result.complete(new LimitedBody(null, true));
					this.subscription.cancel();
					return;
				}
				byte[] chunk = new byte[buffer.remaining()];
				buffer.get(chunk);
				this.out.write(chunk, 0, chunk.length);
			}
		}

		@Override
		public void onError(Throwable throwable) {
			this.result.completeExceptionally(throwable);
		}

		@Override
		public void onComplete() {
			this.result.complete(new LimitedBody(this.out.toByteArray(), false));
		}

	}

}
