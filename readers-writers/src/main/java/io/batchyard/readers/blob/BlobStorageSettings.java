package io.batchyard.readers.blob;

import java.net.URI;
import java.nio.file.Path;

import org.springframework.util.StringUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Where a job keeps its blobs: a local directory or an S3 bucket. Each job's
 * {@code storage} properties record implements it, so every job builds its store the same
 * way ({@link #blobStore()}).
 */
public interface BlobStorageSettings {

	/**
	 * Kinds of blob storage.
	 */
	enum Type {

		/** A local directory (the embedded default). */
		LOCAL,

		/** An S3 bucket. */
		S3

	}

	/**
	 * @return the kind of storage
	 */
	Type type();

	/**
	 * @return the local directory ({@link Type#LOCAL})
	 */
	Path directory();

	/**
	 * @return the S3 bucket ({@link Type#S3})
	 */
	String bucket();

	/**
	 * @return a key prefix inside the bucket, empty for none
	 */
	String prefix();

	/**
	 * @return an S3 endpoint other than AWS (S3Proxy, MinIO), or {@code null}
	 */
	URI endpoint();

	/**
	 * @return whether to use path-style requests (S3Proxy, MinIO)
	 */
	boolean pathStyle();

	/**
	 * @return the bucket's region, or empty for the default chain
	 * ({@link #resolvedRegion()})
	 */
	String region();

	/**
	 * @return a static access key (emulators), or empty for the default chain
	 */
	String accessKey();

	/**
	 * @return the secret key of {@link #accessKey()}
	 */
	String secretKey();

	/**
	 * The credentials: the static key pair when one is set, otherwise AWS's default chain
	 * (environment, profile, instance role).
	 * @return the provider
	 */
	default AwsCredentialsProvider credentials() {
		return StringUtils.hasText(accessKey())
				? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey()))
				: DefaultCredentialsProvider.builder().build();
	}

	/**
	 * The bucket's region: the configured one, otherwise AWS's default region chain
	 * ({@code aws.region}, {@code AWS_REGION}, the profile, instance metadata), as every
	 * other AWS client of a production node finds it.
	 * @return the region
	 */
	default Region resolvedRegion() {
		return StringUtils.hasText(region()) ? Region.of(region())
				: DefaultAwsRegionProviderChain.builder().build().getRegion();
	}

	/**
	 * The store these settings describe.
	 * @return a local-directory or S3 blob store
	 */
	default BlobStore blobStore() {
		if (type() == Type.LOCAL) {
			return LocalDirectoryBlobStore.builder().root(directory()).build();
		}
		S3ClientBuilder s3 = S3Client.builder()
			.region(resolvedRegion())
			.forcePathStyle(pathStyle())
			.credentialsProvider(credentials());
		if (endpoint() != null) {
			s3.endpointOverride(endpoint());
		}
		return S3BlobStore.builder().client(s3.build()).bucket(bucket()).prefix(prefix()).build();
	}

	/**
	 * Presigned URLs of the bucket these settings describe ({@link Type#S3} only; a local
	 * directory's URLs are the application's own, {@link LocalBlobUrlSigner}).
	 * @return the signer
	 */
	default S3BlobUrlSigner s3UrlSigner() {
		S3Presigner.Builder presigner = S3Presigner.builder()
			.region(resolvedRegion())
			.credentialsProvider(credentials())
			.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle()).build());
		if (endpoint() != null) {
			presigner.endpointOverride(endpoint());
		}
		return S3BlobUrlSigner.builder().presigner(presigner.build()).bucket(bucket()).prefix(prefix()).build();
	}

}
