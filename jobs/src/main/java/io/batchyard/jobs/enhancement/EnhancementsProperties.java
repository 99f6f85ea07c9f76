package io.batchyard.jobs.enhancement;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import io.batchyard.readers.blob.BlobStorageSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The enhancement repository, under {@code batchyard.enhancements}: its blob storage, the
 * robots' leases and retries.
 *
 * @param storage where reference files, robot results and validation reports live
 * @param lease how long a robot holds a claimed batch
 * @param maxBatchSize the largest {@code limit} a robot may claim (DESTINY's
 * {@code max_pending_enhancements_batch_size})
 * @param maxRetryCount how often an expired pending enhancement is re-queued before it
 * fails
 * @param urlLifetime how long a signed URL is valid
 */
@Validated
@ConfigurationProperties("batchyard.enhancements")
public record EnhancementsProperties(@DefaultValue @Valid @NotNull Storage storage,
		@DefaultValue("10m") @NotNull Duration lease, @DefaultValue("10000") @Min(1) @Max(10000) int maxBatchSize,
		@DefaultValue("3") @Min(0) int maxRetryCount, @DefaultValue("1h") @NotNull Duration urlLifetime) {

	/**
	 * The blob storage.
	 *
	 * @param type {@code local} (a directory served through signed URLs, the embedded
	 * default) or {@code s3} (presigned URLs)
	 * @param directory the local directory
	 * @param bucket the S3 bucket
	 * @param prefix a key prefix inside the bucket
	 * @param endpoint an S3 endpoint other than AWS (S3Proxy, MinIO)
	 * @param pathStyle path-style requests
	 * @param region the bucket's region
	 * @param accessKey a static access key (emulators); empty: the default credential
	 * chain
	 * @param secretKey the secret key of {@code accessKey}
	 */
	public record Storage(@DefaultValue("local") @NotNull BlobStorageSettings.Type type,
			@DefaultValue("./var/enhancement-blobs") @NotNull Path directory, String bucket,
			@DefaultValue("") String prefix, URI endpoint, @DefaultValue("false") boolean pathStyle,
			@DefaultValue("us-east-1") String region, String accessKey,
			String secretKey) implements BlobStorageSettings {

		@Override
		public String toString() {
			return "Storage[type=" + this.type + ", directory=" + this.directory + ", bucket=" + this.bucket
					+ ", prefix=" + this.prefix + ", endpoint=" + this.endpoint + "]";
		}

	}

}
