package io.batchyard.test;

import java.net.URI;

import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One S3Proxy (S3 protocol, in-process, backed by a temporary directory) per test JVM, on
 * a free loopback port, stopped when the JVM exits. Tests create buckets with unique
 * names. Needs {@code org.gaul:s3proxy} and {@code software.amazon.awssdk:s3} on the test
 * class path.
 */
public final class S3ProxyServer {

	/** The access key the server accepts. */
	public static final String ACCESS_KEY = "local";

	/** The secret key the server accepts. */
	public static final String SECRET_KEY = "local-secret";

	private static S3ProxyJunitCore server;

	private S3ProxyServer() {
	}

	/**
	 * Returns the endpoint of the shared server, starting it on first use.
	 * @return the endpoint, {@code http://127.0.0.1:<port>}
	 */
	public static synchronized URI endpoint() {
		if (server == null) {
			S3ProxyJunitCore core = new S3ProxyJunitCore.Builder().withCredentials(ACCESS_KEY, SECRET_KEY)
				.withPort(FreePorts.next())
				.build();
			try {
				core.beforeEach();
			}
			catch (Exception ex) {
				throw new IllegalStateException("S3Proxy did not start", ex);
			}
			server = core;
			Runtime.getRuntime().addShutdownHook(new Thread(core::afterEach, "s3proxy-shutdown"));
		}
		URI uri = server.getUri();
		return URI.create("http://127.0.0.1:" + uri.getPort());
	}

	/**
	 * A path-style client of the shared server.
	 * @return a new client; the caller closes it
	 */
	public static S3Client newClient() {
		return S3Client.builder()
			.endpointOverride(endpoint())
			.forcePathStyle(true)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
			.build();
	}

	/**
	 * Points a {@code BlobStorageSettings} property group at a bucket of the shared
	 * server: {@code type=s3}, endpoint, path style and this server's keys under
	 * {@code prefix}.
	 * @param registry the test's dynamic properties
	 * @param prefix the group, such as {@code batchyard.enhancements.storage}
	 * @param bucket the bucket
	 */
	public static void registerStorage(DynamicPropertyRegistry registry, String prefix, String bucket) {
		registry.add(prefix + ".type", () -> "s3");
		registry.add(prefix + ".endpoint", () -> endpoint().toString());
		registry.add(prefix + ".path-style", () -> "true");
		registry.add(prefix + ".bucket", () -> bucket);
		registry.add(prefix + ".access-key", () -> ACCESS_KEY);
		registry.add(prefix + ".secret-key", () -> SECRET_KEY);
	}

	/**
	 * Creates a bucket on the shared server.
	 * @param bucket the bucket name
	 */
	public static void createBucket(String bucket) {
		try (S3Client s3 = newClient()) {
			s3.createBucket((request) -> request.bucket(bucket));
		}
	}

}
