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
 * @param sns a publish-only SNS endpoint that logs what it receives
 * @param postingest the postingest table, queues and sample rows
 */
@Validated
@ConfigurationProperties("batchyard.embedded")
public record EmbeddedProperties(@DefaultValue @Valid Sqs sqs, @DefaultValue @Valid Dynamodb dynamodb,
		@DefaultValue @Valid Sns sns, @DefaultValue @Valid Postingest postingest) {

	/**
	 * The SNS stand-in ({@link EmbeddedSnsServer}).
	 *
	 * @param enabled whether to start it
	 * @param port its loopback port
	 */
	public record Sns(@DefaultValue("false") boolean enabled, @DefaultValue("9911") @Min(1) @Max(65535) int port) {

	}

	/**
	 * What the embedded default creates for the postingest jobs on the emulators.
	 *
	 * @param provision whether to create the state table (with its index) and the
	 * confirmer queues when missing, and load the sample rows into a new table
	 * @param sampleRows the file of sample rows, a JSON array of rows (objects of string
	 * attributes), relative to the working directory
	 */
	public record Postingest(@DefaultValue("false") boolean provision,
			@DefaultValue("./sample-data/postingest/rows.json") @NotNull String sampleRows) {

	}

	/**
	 * ElasticMQ.
	 *
	 * @param enabled whether to start it
	 * @param port its loopback port
	 * @param dbPath the directory of its database, where queues and messages outlive a
	 * restart; none (the default outside the embedded profile): in memory only
	 */
	public record Sqs(@DefaultValue("false") boolean enabled, @DefaultValue("9324") @Min(1) @Max(65535) int port,
			Path dbPath) {

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
