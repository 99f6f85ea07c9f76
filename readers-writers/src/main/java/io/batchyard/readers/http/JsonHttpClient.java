package io.batchyard.readers.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * GETs JSON from an HTTP API over the JDK {@link HttpClient}: connect and read timeouts,
 * retries with exponential back-off on timeouts, 429 and 5xx up to a limit, and an
 * immediate {@link HttpCallException} naming the call on any other error status (401,
 * 403, 404...). Thread-safe; holds no per-call state.
 */
public final class JsonHttpClient {

	private static final Log logger = LogFactory.getLog(JsonHttpClient.class);

	private final HttpClient http;

	private final JsonMapper mapper;

	private final Duration readTimeout;

	private final int maxAttempts;

	private final Duration initialBackOff;

	private final Duration maxBackOff;

	private final Supplier<String> authorization;

	private JsonHttpClient(Builder builder) {
		this.http = HttpClient.newBuilder()
			.connectTimeout(builder.connectTimeout)
			.followRedirects(HttpClient.Redirect.NORMAL)
			.build();
		this.mapper = builder.mapper;
		this.readTimeout = builder.readTimeout;
		this.maxAttempts = builder.maxAttempts;
		this.initialBackOff = builder.initialBackOff;
		this.maxBackOff = builder.maxBackOff;
		this.authorization = builder.authorization;
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * GETs a JSON document.
	 * @param call what the call is, for messages ({@code "DLCS API batch assets"})
	 * @param uri the URL
	 * @return the parsed body
	 * @throws HttpCallException when the call is refused, or still fails after its
	 * retries
	 */
	public JsonNode get(String call, URI uri) {
		Duration backOff = this.initialBackOff;
		for (int attempt = 1;; attempt++) {
			HttpRequest.Builder request = HttpRequest.newBuilder(uri)
				.timeout(this.readTimeout)
				.header("Accept", "application/json")
				.GET();
			if (this.authorization != null) {
				request.header("Authorization", this.authorization.get());
			}
			int status = 0;
			Throwable failure = null;
			try {
				HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
				status = response.statusCode();
				if (status >= 200 && status < 300) {
					return parse(call, uri, response.body());
				}
				if (status != 429 && status < 500) {
					throw new HttpCallException(call + " GET " + uri + " was refused with HTTP " + status + ": "
							+ abbreviate(response.body()), status, false, null);
				}
			}
			catch (IOException ex) {
				failure = ex;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new HttpCallException(call + " GET " + uri + " was interrupted", 0, true, ex);
			}
			String what = (failure != null) ? failure.getClass().getSimpleName() : "HTTP " + status;
			if (attempt >= this.maxAttempts) {
				throw new HttpCallException(
						call + " GET " + uri + " failed after " + attempt + " attempt(s), last with " + what, status,
						true, failure);
			}
			logger.warn(call + " GET " + uri + " attempt " + attempt + " failed with " + what + "; retrying in "
					+ backOff.toMillis() + " ms");
			sleep(backOff);
			backOff = min(backOff.multipliedBy(2), this.maxBackOff);
		}
	}

	private JsonNode parse(String call, URI uri, String body) {
		try {
			return this.mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw new HttpCallException(
					call + " GET " + uri + " returned a body that is not JSON: " + ex.getOriginalMessage(), 200, false,
					ex);
		}
	}

	private static void sleep(Duration backOff) {
		try {
			Thread.sleep(backOff.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new HttpCallException("Interrupted while backing off", 0, true, ex);
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static String abbreviate(String body) {
		if (body == null) {
			return "";
		}
		return (body.length() > 300) ? body.substring(0, 300) + "..." : body;
	}

	/**
	 * Builds a {@link JsonHttpClient}.
	 */
	public static final class Builder {

		private Duration connectTimeout = Duration.ofSeconds(10);

		private Duration readTimeout = Duration.ofSeconds(30);

		private int maxAttempts = 3;

		private Duration initialBackOff = Duration.ofMillis(500);

		private Duration maxBackOff = Duration.ofSeconds(10);

		private JsonMapper mapper = JsonMapper.shared();

		private Supplier<String> authorization;

		private Builder() {
		}

		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		public Builder readTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
			return this;
		}

		/**
		 * How many times a call is tried in all, the first included.
		 * @param maxAttempts at least 1
		 * @return this builder
		 */
		public Builder maxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
			return this;
		}

		public Builder backOff(Duration initial, Duration max) {
			this.initialBackOff = initial;
			this.maxBackOff = max;
			return this;
		}

		public Builder mapper(JsonMapper mapper) {
			this.mapper = mapper;
			return this;
		}

		/**
		 * The {@code Authorization} header, computed for each attempt (a short-lived
		 * token is signed afresh).
		 * @param authorization the header value supplier, or {@code null} for none
		 * @return this builder
		 */
		public Builder authorization(Supplier<String> authorization) {
			this.authorization = authorization;
			return this;
		}

		public JsonHttpClient build() {
			Assert.isTrue(
					this.connectTimeout != null && !this.connectTimeout.isNegative() && !this.connectTimeout.isZero(),
					"A positive connect timeout is required");
			Assert.isTrue(this.readTimeout != null && !this.readTimeout.isNegative() && !this.readTimeout.isZero(),
					"A positive read timeout is required");
			Assert.isTrue(this.maxAttempts >= 1, "maxAttempts must be at least 1");
			Assert.isTrue(this.initialBackOff != null && !this.initialBackOff.isNegative(),
					"A back-off of zero or more is required");
			Assert.isTrue(this.maxBackOff != null && this.maxBackOff.compareTo(this.initialBackOff) >= 0,
					"The maximum back-off must not be less than the initial one");
			Assert.notNull(this.mapper, "A JsonMapper is required");
			return new JsonHttpClient(this);
		}

	}

}
