package io.batchyard.launcher.catalogue;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the dashboard reads queue depths ({@code ApproximateNumberOfMessages} of each
 * trigger queue and its dead-letter queue) from SQS.
 *
 * @param timeout the longest a page waits for SQS; what has not answered by then shows as
 * unavailable (or as last read), so a slow or unreachable SQS never slows a page by more
 * than this
 * @param cacheFor how long a depth, or a failure to read it, is reused before SQS is
 * asked again: pages opened meanwhile cost SQS nothing
 */
@Validated
@ConfigurationProperties("batchyard.queue-depths")
public record QueueDepthProperties(@DefaultValue("1s") @NotNull Duration timeout,
		@DefaultValue("10s") @NotNull Duration cacheFor) {

}
