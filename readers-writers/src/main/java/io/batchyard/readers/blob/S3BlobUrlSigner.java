package io.batchyard.readers.blob;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.util.Assert;

/**
 * S3 presigned GET and PUT URLs for the objects of one bucket (and key prefix), matching
 * an {@link S3BlobStore}.
 */
public final class S3BlobUrlSigner implements BlobUrlSigner {

	private final S3Presigner presigner;

	private final S3Location location;

	private S3BlobUrlSigner(Builder builder) {
		this.presigner = builder.presigner;
		this.location = new S3Location(builder.bucket, builder.prefix);
	}

	public static Builder builder() {
		return new Builder();
	}

	@Override
	public URI signedGet(String key, Duration lifetime) {
		return URI.create(this.presigner
			.presignGetObject((request) -> request.signatureDuration(lifetime)
				.getObjectRequest((get) -> get.bucket(this.location.bucket()).key(this.location.objectKey(key))))
			.url()
			.toString());
	}

	@Override
	public URI signedPut(String key, Duration lifetime) {
		return URI.create(this.presigner
			.presignPutObject((request) -> request.signatureDuration(lifetime)
				.putObjectRequest((put) -> put.bucket(this.location.bucket()).key(this.location.objectKey(key))))
			.url()
			.toString());
	}

	/**
	 * Builds an {@link S3BlobUrlSigner}.
	 */
	public static final class Builder {

		private S3Presigner presigner;

		private String bucket;

		private String prefix;

		private Builder() {
		}

		public Builder presigner(S3Presigner presigner) {
			this.presigner = presigner;
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

		public S3BlobUrlSigner build() {
			Assert.notNull(this.presigner, "An S3Presigner is required");
			Assert.hasText(this.bucket, "A bucket is required");
			return new S3BlobUrlSigner(this);
		}

	}

}
