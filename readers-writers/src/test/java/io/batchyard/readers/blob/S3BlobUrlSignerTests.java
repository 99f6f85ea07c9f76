package io.batchyard.readers.blob;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import io.batchyard.test.S3ProxyServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presigned URLs against a real S3-protocol server (S3Proxy): a client without
 * credentials uploads with the PUT URL and downloads with the GET URL.
 */
class S3BlobUrlSignerTests {

	@Test
	void aClientWithoutCredentialsUploadsAndDownloadsThroughPresignedUrls() throws Exception {
		String bucket = "presign-" + UUID.randomUUID().toString().substring(0, 8);
		S3ProxyServer.createBucket(bucket);
		S3Presigner presigner = S3Presigner.builder()
			.endpointOverride(S3ProxyServer.endpoint())
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
			.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
			.build();
		BlobUrlSigner signer = S3BlobUrlSigner.builder().presigner(presigner).bucket(bucket).prefix("p").build();
		HttpClient http = HttpClient.newHttpClient();

		URI put = signer.signedPut("results/b_robot.jsonl", Duration.ofMinutes(5));
		HttpResponse<String> uploaded = http.send(
				HttpRequest.newBuilder(put).PUT(HttpRequest.BodyPublishers.ofString("{\"a\":1}\n")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(uploaded.statusCode()).isEqualTo(200);

		try (var s3 = S3ProxyServer.newClient()) {
			BlobStore store = S3BlobStore.builder().client(s3).bucket(bucket).prefix("p").build();
			assertThat(new String(store.read("results/b_robot.jsonl"), StandardCharsets.UTF_8))
				.isEqualTo("{\"a\":1}\n");
		}
		URI get = signer.signedGet("results/b_robot.jsonl", Duration.ofMinutes(5));
		HttpResponse<String> downloaded = http.send(HttpRequest.newBuilder(get).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(downloaded.statusCode()).isEqualTo(200);
		assertThat(downloaded.body()).isEqualTo("{\"a\":1}\n");
		HttpResponse<String> unsigned = http.send(
				HttpRequest.newBuilder(URI.create(get.toString().replaceAll("\\?.*", ""))).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(unsigned.statusCode()).isEqualTo(403);
	}

}
