package io.batchyard.readers.blob;

import org.springframework.util.Assert;

/**
 * A bucket and a key prefix: where an {@link S3BlobStore} keeps its blobs and where an
 * {@link S3BlobUrlSigner} points its URLs, by one rule, so that a signed URL names the
 * object the store reads and writes.
 *
 * @param bucket the bucket
 * @param prefix the key prefix, empty or ending with {@code /}
 */
record S3Location(String bucket, String prefix) {

	/**
	 * A location.
	 * @param bucket the bucket
	 * @param prefix the key prefix; {@code null} or empty for none, a missing trailing
	 * {@code /} is added
	 */
	S3Location {
		prefix = (prefix == null || prefix.isEmpty()) ? "" : (prefix.endsWith("/") ? prefix : prefix + "/");
	}

	/**
	 * The object key of a blob key.
	 * @param key the blob key
	 * @return the prefixed object key
	 */
	String objectKey(String key) {
		Assert.hasText(key, "A key is required");
		return this.prefix + key;
	}

}
