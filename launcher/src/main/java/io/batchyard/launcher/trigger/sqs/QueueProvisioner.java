package io.batchyard.launcher.trigger.sqs;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Creates a trigger's queue and its {@code <queue>-dlq}, and points the queue's redrive
 * policy at the dead-letter queue. For the embedded default and tests only: production
 * queues, their policies and alarms are provisioned with the rest of the infrastructure.
 */
public class QueueProvisioner {

	static final String DLQ_SUFFIX = "-dlq";

	private static final Log logger = LogFactory.getLog(QueueProvisioner.class);

	private final SqsAsyncClient sqs;

	private final int maxReceiveCount;

	private final Duration visibilityTimeout;

	QueueProvisioner(SqsAsyncClient sqs, SqsTriggerProperties properties) {
		this(sqs, properties.maxReceiveCount(), properties.visibilityTimeout());
	}

	/**
	 * @param sqs the client
	 * @param maxReceiveCount receives before SQS moves a message to the dead-letter queue
	 * @param visibilityTimeout the queue's visibility timeout
	 */
	public QueueProvisioner(SqsAsyncClient sqs, int maxReceiveCount, Duration visibilityTimeout) {
		this.sqs = sqs;
		this.maxReceiveCount = maxReceiveCount;
		this.visibilityTimeout = visibilityTimeout;
	}

	/**
	 * Creates the queue and its dead-letter queue if missing, and sets the redrive policy
	 * and visibility timeout either way (so a changed {@code max-receive-count} applies).
	 * @param queue the queue name, or its URL
	 */
	public void provision(String queue) {
		String name = queueName(queue);
		String dlqUrl = urlCreatingIfMissing(name + DLQ_SUFFIX);
		String dlqArn = this.sqs
			.getQueueAttributes((request) -> request.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
			.join()
			.attributes()
			.get(QueueAttributeName.QUEUE_ARN);
		String queueUrl = urlCreatingIfMissing(name);
		String redrivePolicy = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\""
				+ this.maxReceiveCount + "\"}";
		this.sqs
			.setQueueAttributes((request) -> request.queueUrl(queueUrl)
				.attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrivePolicy,
						QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(this.visibilityTimeout.toSeconds()))))
			.join();
		logger.info("Provisioned queue=" + name + " with dead-letter queue=" + name + DLQ_SUFFIX + " after "
				+ this.maxReceiveCount + " receive(s)");
	}

	private String urlCreatingIfMissing(String name) {
		try {
			return this.sqs.getQueueUrl((request) -> request.queueName(name)).join().queueUrl();
		}
		catch (CompletionException ex) {
			if (!(ex.getCause() instanceof QueueDoesNotExistException)) {
				throw ex;
			}
			return this.sqs.createQueue((request) -> request.queueName(name)).join().queueUrl();
		}
	}

	static String queueName(String queue) {
		int slash = queue.lastIndexOf('/');
		return (slash >= 0) ? queue.substring(slash + 1) : queue;
	}

}
