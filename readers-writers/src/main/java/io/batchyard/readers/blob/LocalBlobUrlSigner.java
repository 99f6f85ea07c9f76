package io.batchyard.readers.blob;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.util.Assert;

/**
 * Signed, expiring URLs for the blobs of a {@link LocalDirectoryBlobStore}, served by the
 * application under a base URL: {@code <base><key>?method=GET&expires=<epoch
 * seconds>&signature=<HMAC-SHA256 of method, key and expiry>}. The server checks them
 * with {@link #verify}.
 */
public final class LocalBlobUrlSigner implements BlobUrlSigner {

	private final URI base;

	private final byte[] key;

	private final Clock clock;

	private LocalBlobUrlSigner(Builder builder) {
		String base = builder.base.toString();
		this.base = URI.create(base.endsWith("/") ? base : base + "/");
		this.key = builder.key.clone();
		this.clock = builder.clock;
	}

	public static Builder builder() {
		return new Builder();
	}

	@Override
	public URI signedGet(String key, Duration lifetime) {
		return sign("GET", key, lifetime);
	}

	@Override
	public URI signedPut(String key, Duration lifetime) {
		return sign("PUT", key, lifetime);
	}

	private URI sign(String method, String blobKey, Duration lifetime) {
		long expires = this.clock.instant().plus(lifetime).getEpochSecond();
		return URI.create(this.base + path(blobKey) + "?method=" + method + "&expires=" + expires + "&signature="
				+ signature(method, blobKey, expires));
	}

	/**
	 * Whether a request may use a blob: the signature matches and has not expired.
	 * @param method the HTTP method
	 * @param blobKey the key
	 * @param expires the {@code expires} parameter
	 * @param signature the {@code signature} parameter
	 * @return {@code true} if allowed
	 */
	public boolean verify(String method, String blobKey, long expires, String signature) {
		if (signature == null || expires < this.clock.instant().getEpochSecond()) {
			return false;
		}
		return MessageDigest.isEqual(signature(method, blobKey, expires).getBytes(StandardCharsets.US_ASCII),
				signature.getBytes(StandardCharsets.US_ASCII));
	}

	private String signature(String method, String blobKey, long expires) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
			byte[] digest = mac.doFinal((method + "\n" + blobKey + "\n" + expires).getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String path(String blobKey) {
		StringBuilder path = new StringBuilder();
		for (String segment : blobKey.split("/")) {
			if (!path.isEmpty()) {
				path.append('/');
			}
			path.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
		}
		return path.toString();
	}

	/**
	 * Builds a {@link LocalBlobUrlSigner}.
	 */
	public static final class Builder {

		private URI base;

		private byte[] key;

		private Clock clock = Clock.systemUTC();

		private Builder() {
		}

		public Builder base(URI base) {
			this.base = base;
			return this;
		}

		public Builder key(byte[] key) {
			this.key = key;
			return this;
		}

		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		public LocalBlobUrlSigner build() {
			Assert.notNull(this.base, "A base URL is required");
			Assert.isTrue(this.key != null && this.key.length >= 16, "A signing key of at least 16 bytes is required");
			return new LocalBlobUrlSigner(this);
		}

	}

}
