package io.batchyard.launcher.trigger.sqs;

import java.time.Duration;

import io.awspring.cloud.sqs.listener.QueueNotFoundStrategy;
import io.awspring.cloud.sqs.listener.SqsContainerOptions;
import io.awspring.cloud.sqs.listener.SqsContainerOptionsBuilder;
import io.awspring.cloud.sqs.listener.acknowledgement.handler.AcknowledgementMode;
import io.awspring.cloud.sqs.support.converter.SqsMessagingMessageConverter;

/**
 * The listener container settings every queue this application listens to shares (the
 * launch and trigger queues, the partition queue): the caller adds which attributes it
 * reads.
 */
public final class SqsListenerOptions {

	private SqsListenerOptions() {
	}

	/**
	 * Options for a queue whose handler deletes each message itself.
	 * @param concurrency messages handled at once
	 * @param pollTimeout how long one long poll waits
	 * @param visibility how long a received message stays hidden
	 * @return the builder, to add the attributes to receive and build
	 */
	public static SqsContainerOptionsBuilder manualDelete(int concurrency, Duration pollTimeout, Duration visibility) {
		// The body is always handed over as the raw string: the default converter would
		// otherwise load and instantiate whatever class a "JavaType" attribute names.
		SqsMessagingMessageConverter converter = new SqsMessagingMessageConverter();
		converter.setPayloadTypeMapper((message) -> null);
		return SqsContainerOptions.builder()
			// The handler deletes a message itself, once it is done with it (launched,
			// recognised as a duplicate, its partition run); what it refuses stays for
			// the dead-letter queue.
			.acknowledgementMode(AcknowledgementMode.MANUAL)
			// Delete at once rather than in batches: a delete lost in a batch at
			// shutdown would only cost a duplicate anyway.
			.acknowledgementInterval(Duration.ZERO)
			.acknowledgementThreshold(0)
			.maxConcurrentMessages(concurrency)
			.maxMessagesPerPoll(Math.min(concurrency, 10))
			.pollTimeout(pollTimeout)
			.messageVisibility(visibility)
			// A missing production queue is a deployment error, not something to paper
			// over with a queue that has no dead-letter queue.
			.queueNotFoundStrategy(QueueNotFoundStrategy.FAIL)
			.messageConverter(converter);
	}

}
