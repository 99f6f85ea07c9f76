package io.batchyard.launcher.embedded;

import java.nio.file.Path;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The local AWS emulators of the embedded default, started in this process on 127.0.0.1.
 * Off unless enabled: the {@code embedded} profile (the default one) turns both on.
 *
 * @param sqs ElasticMQ, an SQS-compatible server
 * @param dynamodb DynamoDB Local
 */
@Validated
@ConfigurationProperties("batchyard.embedded")
public record EmbeddedProperties(@DefaultValue @Valid Sqs sqs, @DefaultValue @Valid Dynamodb dynamodb) {

	/**
	 * ElasticMQ.
	 *
	 * @param enabled whether to start it
	 * @param port its loopback port
	 */
	public record Sqs(@DefaultValue("false") boolean enabled, @DefaultValue("9324") @Min(1) @Max(65535) int port) {

	}

	/**
	 * DynamoDB Local, with one database shared by every access key and region
	 * ({@code -sharedDb}), so the AWS CLI sees the tables the application made.
	 *
	 * @param enabled whether to start it
	 * @param port its loopback port
	 * @param dbPath the directory of its database file
	 */
	public record Dynamodb(@DefaultValue("false") boolean enabled, @DefaultValue("8000") @Min(1) @Max(65535) int port,
			@DefaultValue("./var/dynamodb") @NotNull Path dbPath) {

	}

}
