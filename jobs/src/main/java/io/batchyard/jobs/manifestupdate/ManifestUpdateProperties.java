package io.batchyard.jobs.manifestupdate;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import io.batchyard.readers.blob.BlobStorageSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of {@code manifestUpdateJob}, under {@code batchyard.jobs.manifest-update}.
 *
 * @param queue the SQS queue of DLCS batch-completion notifications
 * @param chunkSize assets (step 2) and canvas paintings (step 4) per transaction
 * @param dlcs the DLCS API and Orchestrator
 * @param storage where the manifests' JSON lives
 * @param presentationApiUrl the public base URL of the IIIF Presentation API: a published
 * manifest's {@code id} is {@code {presentationApiUrl}{customer}/manifests/{id}}
 */
@Validated
@ConfigurationProperties("batchyard.jobs.manifest-update")
public record ManifestUpdateProperties(@DefaultValue("batch-completion") @NotBlank String queue,
		@DefaultValue("100") @Min(1) int chunkSize, @DefaultValue @Valid @NotNull Dlcs dlcs,
		@DefaultValue @Valid @NotNull Storage storage,
		@DefaultValue("http://localhost:8080/") @NotNull URI presentationApiUrl) {

	/**
	 * The DLCS.
	 *
	 * @param apiUrl the DLCS API base URL (Protagonist's Hydra API)
	 * @param orchestratorUrl the DLCS Orchestrator base URL
	 * @param namedQuery the named query projecting a manifest's assets
	 * @param jwtKey the base64 HMAC-SHA256 key signing the API's JWT; from the
	 * environment ({@code BATCHYARD_JOBS_MANIFEST_UPDATE_DLCS_JWT_KEY}), never in a file
	 * that is committed
	 * @param jwtIssuer the JWT's {@code iss}
	 * @param jwtLifetime how long a signed JWT is valid
	 * @param connectTimeout the HTTP connect timeout
	 * @param readTimeout the HTTP request timeout (DLCS default 30 s)
	 * @param maxAttempts tries per call on timeouts, 429 and 5xx, the first included
	 * @param backOff the first back-off between tries, doubled each time
	 * @param maxBackOff the longest back-off
	 */
	public record Dlcs(@DefaultValue("http://localhost:8080/local-dlcs/api/") @NotNull URI apiUrl,
			@DefaultValue("http://localhost:8080/local-dlcs/orchestrator/") @NotNull URI orchestratorUrl,
			@DefaultValue("manifest-query") @NotBlank String namedQuery, String jwtKey,
			@DefaultValue("urn:presentation:default") @NotBlank String jwtIssuer,
			@DefaultValue("5m") @NotNull Duration jwtLifetime, @DefaultValue("10s") @NotNull Duration connectTimeout,
			@DefaultValue("30s") @NotNull Duration readTimeout, @DefaultValue("4") @Min(1) int maxAttempts,
			@DefaultValue("500ms") @NotNull Duration backOff, @DefaultValue("10s") @NotNull Duration maxBackOff) {

		@Override
		public String toString() {
			return "Dlcs[apiUrl=" + this.apiUrl + ", orchestratorUrl=" + this.orchestratorUrl + ", namedQuery="
					+ this.namedQuery + ", jwtKey=" + ((this.jwtKey != null) ? "(set)" : "(unset)") + ", jwtIssuer="
					+ this.jwtIssuer + "]";
		}

	}

	/**
	 * The manifests' blob storage. Staged manifests are read from
	 * {@code staged/{customer}/manifests/{manifest}} and published to
	 * {@code {customer}/manifests/{manifest}}.
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
			@DefaultValue("./var/blobs") @NotNull Path directory, String bucket, @DefaultValue("") String prefix,
			URI endpoint, @DefaultValue("false") boolean pathStyle, @DefaultValue("us-east-1") String region,
			String accessKey, String secretKey) implements BlobStorageSettings {

		@Override
		public String toString() {
			return "Storage[type=" + this.type + ", directory=" + this.directory + ", bucket=" + this.bucket
					+ ", prefix=" + this.prefix + ", endpoint=" + this.endpoint + "]";
		}

	}

}
