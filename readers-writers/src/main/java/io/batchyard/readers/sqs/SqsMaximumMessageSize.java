package io.batchyard.readers.sqs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Each queue's {@code MaximumMessageSize}, the limit of one message and of the total of
 * one {@code SendMessageBatch}: read from the queue's attributes, kept for a while (an
 * operator may change it; a call per chunk would cost a round trip each), and
 * {@value #DEFAULT_BYTES} bytes where the queue does not report it (ElasticMQ) or cannot
 * be asked (no {@code sqs:GetQueueAttributes} permission, a queue that does not exist:
 * the send itself then says what is wrong). Thread-safe.
 */
public class SqsMaximumMessageSize {

	/** The fallback: SQS's historical maximum, which every queue accepts. */
	public static final int DEFAULT_BYTES = 262_144;

	/** How long a size read from a queue is used before it is read again. */
	public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);

	private static final Log logger = LogFactory.getLog(SqsMaximumMessageSize.class);

	private final SqsAsyncClient client;

	private final int fallbackBytes;

	private final Duration refresh;

	private final Clock clock;

	private final Map<String, Known> known = new ConcurrentHashMap<>();

	/**
	 * Reads each queue's size through this client, with the default fallback and refresh.
	 * @param client the client
	 */
	public SqsMaximumMessageSize(SqsAsyncClient client) {
		this(client, DEFAULT_BYTES, DEFAULT_REFRESH, Clock.systemUTC());
	}

	/**
	 * Reads each queue's size through this client.
	 * @param client the client
	 * @param fallbackBytes the size of a queue that does not report one
	 * @param refresh how long a size is kept
	 * @param clock the clock of the refresh
	 */
	public SqsMaximumMessageSize(SqsAsyncClient client, int fallbackBytes, Duration refresh, Clock clock) {
		if (client == null) {
			throw new IllegalArgumentException("An SqsAsyncClient is required");
		}
		if (fallbackBytes < 1) {
			throw new IllegalArgumentException("fallbackBytes must be positive");
		}
		if (refresh == null || refresh.isNegative()) {
			throw new IllegalArgumentException("refresh must not be negative");
		}
		this.client = client;
		this.fallbackBytes = fallbackBytes;
		this.refresh = refresh;
		this.clock = clock;
	}

	/**
	 * The queue's maximum message size.
	 * @param queueUrl the queue
	 * @return the size in bytes
	 */
	public int of(String queueUrl) {
		Instant now = this.clock.instant();
		Known current = this.known.get(queueUrl);
		if (current != null && now.isBefore(current.until())) {
			return current.bytes();
		}
		int bytes = read(queueUrl);
		this.known.put(queueUrl, new Known(bytes, now.plus(this.refresh)));
		return bytes;
	}

	private int read(String queueUrl) {
		String value;
		try {
			value = this.client
				.getQueueAttributes((b) -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.MAXIMUM_MESSAGE_SIZE))
				.join()
				.attributes()
				.get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE);
		}
		catch (CompletionException | SdkException ex) {
			Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
			logger.warn("Cannot read the MaximumMessageSize of queue " + queueUrl + " (" + cause.getMessage()
					+ "); using " + this.fallbackBytes + " bytes");
			return this.fallbackBytes;
		}
		if (value == null) {
			logger
				.debug("Queue " + queueUrl + " reports no MaximumMessageSize; using " + this.fallbackBytes + " bytes");
			return this.fallbackBytes;
		}
		try {
			int bytes = Integer.parseInt(value.trim());
			if (bytes > 0) {
				return bytes;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		logger.warn("Queue " + queueUrl + " reports MaximumMessageSize '" + value + "'; using " + this.fallbackBytes
				+ " bytes");
		return this.fallbackBytes;
	}

	private record Known(int bytes, Instant until) {

	}

}
