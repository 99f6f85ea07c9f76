package io.batchyard.launcher.trigger.sqs;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The SQS launch trigger: the launcher listens to the launch queue and to every other
 * {@link io.batchyard.jobs.launch.QueueTrigger} queue.
 *
 * @param enabled whether this node listens to queues at all (the command line turns it
 * off)
 * @param launchQueue the generic launch queue, taking {@code {"job": "...", "parameters":
 * {...}}}
 * @param createQueues whether to create each queue and its {@code <queue>-dlq} with a
 * redrive policy at startup (the embedded default; production queues are provisioned
 * elsewhere)
 * @param maxReceiveCount after how many receives without a delete SQS moves a message to
 * the dead-letter queue (only used when creating queues)
 * @param visibilityTimeout how long a received message stays invisible before SQS
 * delivers it again: set on created queues and asked for on every receive
 * @param maxConcurrentMessages messages handled at once per queue
 * @param pollTimeout how long one long-poll waits for messages (at most 20 s in SQS)
 */
@Validated
@ConfigurationProperties("batchyard.launcher.sqs")
public record SqsTriggerProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("batchyard-launch") @NotBlank String launchQueue, @DefaultValue("false") boolean createQueues,
		@DefaultValue("5") @Min(1) @Max(1000) int maxReceiveCount,
		@DefaultValue("30s") @NotNull Duration visibilityTimeout, @DefaultValue("10") @Min(1) int maxConcurrentMessages,
		@DefaultValue("10s") @NotNull Duration pollTimeout) {

}
