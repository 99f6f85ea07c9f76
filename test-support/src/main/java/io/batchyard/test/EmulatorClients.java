package io.batchyard.test;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * AWS SDK clients of the in-process emulators (ElasticMQ, DynamoDB Local, the SNS
 * endpoint of a test): the emulator's endpoint, {@code us-east-1} and the dummy
 * credentials they all accept.
 */
public final class EmulatorClients {

	private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider
		.create(AwsBasicCredentials.create("local", "local"));

	private EmulatorClients() {
	}

	/**
	 * A client of an emulator.
	 * @param <B> the builder type
	 * @param <C> the client type
	 * @param builder the client's builder, for example {@code SqsClient.builder()}
	 * @param endpoint the emulator's endpoint
	 * @return the client; the caller closes it
	 */
	public static <B extends AwsClientBuilder<B, C>, C> C client(B builder, String endpoint) {
		return builder.endpointOverride(URI.create(endpoint))
			.region(Region.US_EAST_1)
			.credentialsProvider(CREDENTIALS)
			.build();
	}

}
