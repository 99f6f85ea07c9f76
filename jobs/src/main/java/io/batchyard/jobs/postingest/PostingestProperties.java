package io.batchyard.jobs.postingest;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of {@code postingestSweepJob} and {@code postingestResendJob}. The queue list
 * is checked by {@link QueueListValidator} when it is bound: a bad list stops the
 * application with a message naming the rule it breaks.
 *
 * @param enabled whether the two jobs exist in this application
 * @param tableName the state table (keys {@code assetId}, {@code batchId})
 * @param indexName its global secondary index on {@code queue} + {@code lastQueued}
 * @param attributePrefix the prefix of the confirmation attribute
 * {@code {prefix}{queueAlias}}: the seed's {@code ingested_} (the original code later
 * used {@code result_})
 * @param topicArn the SNS topic of the ingest notifications
 * @param queues the confirmer queues, in the order an asset goes through them
 * @param chunkSize rows per chunk (and per transaction of the job repository)
 * @param skipLimit the most rows one step execution may skip before it fails
 * @param sendAttempts attempts per SQS batch entry that SQS fails, per SNS
 * {@code PublishBatch} entry that SNS fails, and per row change that DynamoDB throttles
 * or fails on its side, the first included
 * @param sendBackOff the wait before retrying failed entries; it doubles each time
 * @param sweepGridSize partitions of {@code sweepStateTableStep}: 1 scans the table in
 * one step; more runs a DynamoDB parallel scan, one segment per partition (locally or on
 * worker nodes, {@code batchyard.partitioning.mode}), with the same end state
 */
@Validated
@ConfigurationProperties("batchyard.jobs.postingest")
public record PostingestProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("postingest-state") @NotBlank String tableName,
		@DefaultValue("QueueLastQueuedIdx") @NotBlank String indexName,
		@DefaultValue("ingested_") @NotNull String attributePrefix, String topicArn, @DefaultValue List<Queue> queues,
		@DefaultValue("100") @Min(1) int chunkSize, @DefaultValue("1000") @Min(1) int skipLimit,
		@DefaultValue("4") @Min(1) int sendAttempts, @DefaultValue("200ms") @NotNull Duration sendBackOff,
		@DefaultValue("1") @Min(1) @Max(256) int sweepGridSize) {

	public PostingestProperties {
		if (enabled) {
			QueueListValidator.validate(queues);
		}
	}

	/**
	 * One confirmer queue.
	 *
	 * @param queueAlias its alias: the value of {@code queue} while a row waits on it,
	 * and the suffix of its confirmation attribute
	 * @param queueOrder its place, 1 to n
	 * @param queueUrl its URL
	 * @param retention overrides the queue's {@code MessageRetentionPeriod} for the
	 * resend cut-off (needed where the queue does not report it, like ElasticMQ)
	 * @param confirmedStatus the notification status once this queue has confirmed a row
	 * (defaults follow the seed: {@code CC} custodial copy disk, the last queue data
	 * tape)
	 */
	public record Queue(String queueAlias, Integer queueOrder, String queueUrl, Duration retention,
			String confirmedStatus) {

	}

}
