package io.batchyard.readers.blob;

import java.io.InputStream;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import org.springframework.util.Assert;

/**
 * Blobs as objects of one S3 bucket, optionally under a key prefix. Works with any
 * S3-protocol server (configure the client path-style for S3Proxy or MinIO).
 */
public final class S3BlobStore implements BlobStore {

	private final S3Client s3;

	private final S3Location location;

	private S3BlobStore(Builder builder) {
		this.s3 = builder.s3;
		this.location = new S3Location(builder.bucket, builder.prefix);
	}

	public static Builder builder() {
		return new Builder();
	}

	@Override
	public InputStream open(String key) {
		try {
			return this.s3.getObject((request) -> request.bucket(this.location.bucket()).key(objectKey(key)));
		}
		catch (NoSuchKeyException ex) {
			throw new NoSuchBlobException("No blob '" + objectKey(key) + "' in bucket " + this.location.bucket(), ex);
		}
	}

	@Override
	public InputStream open(String key, long offset) {
		if (offset == 0) {
			return open(key);
		}
		try {
			return this.s3.getObject((request) -> request.bucket(this.location.bucket())
				.key(objectKey(key))
				.range("bytes=" + offset + "-"));
		}
		catch (NoSuchKeyException ex) {
			throw new NoSuchBlobException("No blob '" + objectKey(key) + "' in bucket " + this.location.bucket(), ex);
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 416) {
				// the offset is the end of the blob: nothing left to read
				return InputStream.nullInputStream();
			}
			throw ex;
		}
	}

	@Override
	public void put(String key, InputStream content, long length) {
		this.s3.putObject((request) -> request.bucket(this.location.bucket()).key(objectKey(key)),
				RequestBody.fromInputStream(content, length));
	}

	@Override
	public boolean exists(String key) {
		try {
			this.s3.headObject((request) -> request.bucket(this.location.bucket()).key(objectKey(key)));
			return true;
		}
		catch (NoSuchKeyException ex) {
			return false;
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return false;
			}
			throw ex;
		}
	}

	@Override
	public void delete(String key) {
		this.s3.deleteObject((request) -> request.bucket(this.location.bucket()).key(objectKey(key)));
	}

	private String objectKey(String key) {
		return this.location.objectKey(key);
	}

	@Override
	public String toString() {
		return "S3BlobStore[s3://" + this.location.bucket() + "/" + this.location.prefix() + "]";
	}

	/**
	 * Builds an {@link S3BlobStore}.
	 */
	public static final class Builder {

		private S3Client s3;

		private String bucket;

		private String prefix;

		private Builder() {
		}

		public Builder client(S3Client s3) {
			this.s3 = s3;
			return this;
		}

		public Builder bucket(String bucket) {
			this.bucket = bucket;
			return this;
		}

		public Builder prefix(String prefix) {
			this.prefix = prefix;
			return this;
		}

		public S3BlobStore build() {
			Assert.notNull(this.s3, "An S3Client is required");
			Assert.hasText(this.bucket, "A bucket is required");
			return new S3BlobStore(this);
		}

	}

}
