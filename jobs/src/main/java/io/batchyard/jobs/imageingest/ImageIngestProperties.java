package io.batchyard.jobs.imageingest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import io.batchyard.readers.blob.BlobStorageSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of {@code imageIngestJob} and of the image batches it works on, under
 * {@code batchyard.jobs.image-ingest}.
 *
 * @param chunkSize images per chunk (one transaction, one SQS batch of messages)
 * @param concurrency images fetched, checked and stored at once, across all running
 * batches of this node (a chunk fans its images out over this many threads; a chunk waits
 * for its slowest image, so a chunk size equal to it keeps every thread busy)
 * @param queue the SQS queue every stored image is announced on: a name (its URL is
 * looked up) or a queue URL
 * @param sendAttempts attempts per SQS message that SQS fails, the first included
 * @param sendBackOff the wait before the second attempt, doubled for each further one
 * @param maxPixels the most pixels (width × height) an image header may claim; larger
 * images are refused before they are decoded
 * @param retention how long a completed, failed or cancelled batch is kept before
 * {@code imageBatchPurgeJob} deletes it
 * @param fetch downloading images from URLs
 * @param storage where images (and submitted base64 payloads) are stored
 */
@Validated
@ConfigurationProperties("batchyard.jobs.image-ingest")
public record ImageIngestProperties(@DefaultValue("20") @Min(1) @Max(100) int chunkSize,
		@DefaultValue("20") @Min(1) @Max(256) int concurrency, @DefaultValue("image_upload") @NotBlank String queue,
		@DefaultValue("4") @Min(1) int sendAttempts, @DefaultValue("200ms") @NotNull Duration sendBackOff,
		@DefaultValue("100000000") @Min(1) long maxPixels, @DefaultValue("24h") @NotNull Duration retention,
		@DefaultValue @Valid @NotNull Fetch fetch, @DefaultValue @Valid @NotNull Storage storage) {

	/**
	 * Downloading images.
	 *
	 * @param connectTimeout the TCP connect timeout
	 * @param readTimeout the longest wait for any read of the response (headers or body)
	 * @param maxRedirects redirects followed, each checked like the first URL
	 * @param maxBytes a body larger than this is rejected (never truncated)
	 * @param allowedHosts host names (or literal addresses) that may be fetched although
	 * they resolve to a loopback, private, link-local or metadata address: for local
	 * setups and tests only
	 */
	public record Fetch(@DefaultValue("10s") @NotNull Duration connectTimeout,
			@DefaultValue("30s") @NotNull Duration readTimeout, @DefaultValue("5") @Min(0) int maxRedirects,
			@DefaultValue("10MB") @NotNull DataSize maxBytes, @DefaultValue List<String> allowedHosts) {

	}

	/**
	 * The blob storage of images: {@code {trace_id}/{filename}}; submitted base64
	 * payloads wait under {@code image-batches/{batch}/{index}.b64} until their batch
	 * ends.
	 *
	 * @param type {@code local} (a directory, the embedded default) or {@code s3}
	 * @param directory the local directory
	 * @param bucket the S3 bucket
	 * @param prefix a key prefix inside the bucket (empty: none)
	 * @param endpoint an S3 endpoint other than AWS (S3Proxy, MinIO); empty for AWS
	 * @param pathStyle path-style requests (S3Proxy, MinIO)
	 * @param region the bucket's region
	 * @param accessKey a static access key (emulators); empty: the default AWS credential
	 * chain
	 * @param secretKey the static secret key that goes with {@code accessKey}
	 */
	public record Storage(@DefaultValue("local") @NotNull BlobStorageSettings.Type type,
			@DefaultValue("./var/images") @NotNull Path directory, String bucket, @DefaultValue("") String prefix,
			URI endpoint, @DefaultValue("false") boolean pathStyle, @DefaultValue("us-east-1") String region,
			String accessKey, String secretKey) implements BlobStorageSettings {

		@Override
		public String toString() {
			return "Storage[type=" + this.type + ", directory=" + this.directory + ", bucket=" + this.bucket
					+ ", prefix=" + this.prefix + ", endpoint=" + this.endpoint + "]";
		}

	}

}
