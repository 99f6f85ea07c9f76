package io.batchyard.readers.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * Signs short-lived JSON Web Tokens with HMAC-SHA256 (HS256): {@code iss}, {@code sub},
 * {@code iat}, {@code nbf} and {@code exp}. The key never appears in {@link #toString()}
 * or in messages.
 */
public final class HmacJwtSigner {

	private static final String HEADER = Base64.getUrlEncoder()
		.withoutPadding()
		.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

	private final SecretKeySpec key;

	private final String issuer;

	private final Duration lifetime;

	private final Clock clock;

	private HmacJwtSigner(Builder builder) {
		this.key = new SecretKeySpec(builder.key, "HmacSHA256");
		this.issuer = builder.issuer;
		this.lifetime = builder.lifetime;
		this.clock = builder.clock;
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Signs a token for a subject, valid from now for the configured lifetime.
	 * @param subject the {@code sub} claim
	 * @return the compact token {@code header.claims.signature}
	 */
	public String sign(String subject) {
		long now = this.clock.instant().getEpochSecond();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", this.issuer);
		claims.put("sub", subject);
		claims.put("iat", now);
		claims.put("nbf", now);
		claims.put("exp", now + this.lifetime.toSeconds());
		String payload = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(JsonMapper.shared().writeValueAsBytes(claims));
		String signingInput = HEADER + "." + payload;
		return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(signingInput));
	}

	private byte[] hmac(String input) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

	@Override
	public String toString() {
		return "HmacJwtSigner[issuer=" + this.issuer + ", lifetime=" + this.lifetime + ", key=(hidden)]";
	}

	/**
	 * Builds an {@link HmacJwtSigner}.
	 */
	public static final class Builder {

		private byte[] key;

		private String issuer;

		private Duration lifetime = Duration.ofMinutes(5);

		private Clock clock = Clock.systemUTC();

		private Builder() {
		}

		/**
		 * The key, base64-encoded as DLCS settings hold it.
		 * @param base64Key the key
		 * @return this builder
		 */
		public Builder base64Key(String base64Key) {
			Assert.hasText(base64Key, "A signing key is required");
			try {
				this.key = Base64.getDecoder().decode(base64Key.trim());
			}
			catch (IllegalArgumentException ex) {
				// Never echo the key.
				throw new IllegalArgumentException("The signing key is not valid base64");
			}
			return this;
		}

		public Builder issuer(String issuer) {
			this.issuer = issuer;
			return this;
		}

		public Builder lifetime(Duration lifetime) {
			this.lifetime = lifetime;
			return this;
		}

		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		public HmacJwtSigner build() {
			Assert.isTrue(this.key != null && this.key.length >= 32,
					"A signing key of at least 256 bits (32 bytes, base64-encoded) is required");
			Assert.hasText(this.issuer, "An issuer is required");
			Assert.isTrue(this.lifetime != null && !this.lifetime.isNegative() && !this.lifetime.isZero(),
					"A positive lifetime is required");
			Assert.notNull(this.clock, "A clock is required");
			return new HmacJwtSigner(this);
		}

	}

}
