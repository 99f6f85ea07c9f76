package io.batchyard.jobs.enhancement;

import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.blob.LocalDirectoryBlobStore;
import io.batchyard.readers.blob.S3BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import org.springframework.util.StringUtils;

/**
 * Builds the enhancement blob store from its properties.
 */
public final class EnhancementStorage {

	private EnhancementStorage() {
	}

	public static BlobStore blobStore(EnhancementsProperties.Storage storage) {
		if (storage.type() == EnhancementsProperties.Type.LOCAL) {
			return LocalDirectoryBlobStore.builder().root(storage.directory()).build();
		}
		S3ClientBuilder s3 = S3Client.builder()
			.region(Region.of(storage.region()))
			.forcePathStyle(storage.pathStyle())
			.credentialsProvider(credentials(storage));
		if (storage.endpoint() != null) {
			s3.endpointOverride(storage.endpoint());
		}
		return S3BlobStore.builder().client(s3.build()).bucket(storage.bucket()).prefix(storage.prefix()).build();
	}

	public static AwsCredentialsProvider credentials(EnhancementsProperties.Storage storage) {
		return StringUtils.hasText(storage.accessKey())
				? StaticCredentialsProvider.create(AwsBasicCredentials.create(storage.accessKey(), storage.secretKey()))
				: DefaultCredentialsProvider.builder().build();
	}

}
