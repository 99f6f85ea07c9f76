package io.batchyard.readers.blob;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bucket's region: the configured one, otherwise AWS's default region chain, as on a
 * production node that sets only {@code AWS_REGION} (here its system-property link,
 * {@code aws.region}). Presigning needs no server: the host of a presigned URL names the
 * region the client was built with.
 */
class BlobStorageSettingsTests {

	@AfterEach
	void clearRegion() {
		System.clearProperty("aws.region");
	}

	@Test
	void withoutARegionTheBucketIsInTheRegionOfTheDefaultChain() {
		System.setProperty("aws.region", "eu-west-2");

		URI url = new Settings("").s3UrlSigner().signedGet("a/b.json", Duration.ofMinutes(5));

		assertThat(url.getHost()).isEqualTo("batchyard-blobs.s3.eu-west-2.amazonaws.com");
	}

	@Test
	void aConfiguredRegionWinsOverTheDefaultChain() {
		System.setProperty("aws.region", "eu-west-2");

		URI url = new Settings("ap-southeast-2").s3UrlSigner().signedGet("a/b.json", Duration.ofMinutes(5));

		assertThat(url.getHost()).isEqualTo("batchyard-blobs.s3.ap-southeast-2.amazonaws.com");
	}

	private record Settings(String region) implements BlobStorageSettings {

		@Override
		public Type type() {
			return Type.S3;
		}

		@Override
		public Path directory() {
			return null;
		}

		@Override
		public String bucket() {
			return "batchyard-blobs";
		}

		@Override
		public String prefix() {
			return "";
		}

		@Override
		public URI endpoint() {
			return null;
		}

		@Override
		public boolean pathStyle() {
			return false;
		}

		@Override
		public String accessKey() {
			return "AKIDEXAMPLE";
		}

		@Override
		public String secretKey() {
			return "example-secret-not-a-secret";
		}

	}

}
