package io.batchyard.bench;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * What every benchmark needs of the in-process emulators: an AWS client pointed at one,
 * with their dummy credentials, and a stopwatch.
 */
final class Emulators {

	private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider
		.create(AwsBasicCredentials.create("local", "local"));

	private Emulators() {
	}

	/**
	 * A client of an emulator.
	 * @param builder the client's builder, for example {@code SqsClient.builder()}
	 * @param endpoint the emulator's endpoint
	 * @return the client
	 */
	static <B extends AwsClientBuilder<B, C>, C> C client(B builder, String endpoint) {
		return builder.endpointOverride(URI.create(endpoint))
			.region(Region.US_EAST_1)
			.credentialsProvider(CREDENTIALS)
			.build();
	}

	/**
	 * Seconds since a {@link System#nanoTime()} reading.
	 * @param start the reading
	 * @return the seconds
	 */
	static double seconds(long start) {
		return (System.nanoTime() - start) / 1e9;
	}

}
