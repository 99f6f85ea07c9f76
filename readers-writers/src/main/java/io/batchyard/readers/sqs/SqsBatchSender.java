package io.batchyard.readers.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends messages with {@code SendMessageBatch}: up to 10 per call and, per call, at most
 * the queue's maximum message size in total ({@link SqsMaximumMessageSize},
 * {@link SendMessageBatches}), the calls of one {@link #send} in flight together. Entries
 * SQS rejects are retried on their own, with a doubling back-off, up to a number of
 * attempts; entries that still fail (or that SQS rejects as the sender's fault, which no
 * retry can fix, or that are larger than the queue's maximum on their own) make
 * {@link #send} throw an {@link SqsBatchSendException} naming them. A whole call that
 * fails (network, throttling, 5xx) is retried by the SDK's own retry policy.
 */
public class SqsBatchSender {

	private static final Log logger = LogFactory.getLog(SqsBatchSender.class);

	private final SqsAsyncClient client;

	private final int maxAttempts;

	private final Duration initialBackOff;

	private final SqsMaximumMessageSize maxMessageSize;

	SqsBatchSender(SqsAsyncClient client, int maxAttempts, Duration initialBackOff,
			SqsMaximumMessageSize maxMessageSize) {
		this.client = client;
		this.maxAttempts = maxAttempts;
		this.initialBackOff = initialBackOff;
		this.maxMessageSize = maxMessageSize;
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Sends every message, or throws naming those that could not be sent (the others were
	 * sent).
	 * @param messages the messages, with ids unique in this call
	 * @throws SqsBatchSendException if some could not be sent
	 */
	public void send(List<OutboundMessage> messages) {
		Map<String, OutboundMessage> pending = new LinkedHashMap<>();
		for (OutboundMessage message : messages) {
			if (pending.put(message.id(), message) != null) {
				throw new IllegalArgumentException("Duplicate message id " + message.id());
			}
		}
		Map<String, String> permanent = new LinkedHashMap<>();
		Map<String, String> lastErrors = new HashMap<>();
		Duration backOff = this.initialBackOff;
		for (int attempt = 1; attempt <= this.maxAttempts && !pending.isEmpty(); attempt++) {
			if (attempt > 1) {
				logger.warn("Retrying " + pending.size() + " SQS message(s) after " + backOff.toMillis() + " ms: "
						+ lastErrors);
				LockSupport.parkNanos(backOff.toNanos());
				backOff = backOff.multipliedBy(2);
			}
			Map<String, Failure> failed = sendOnce(new ArrayList<>(pending.values()));
			pending.keySet().retainAll(failed.keySet());
			failed.forEach((id, failure) -> {
				lastErrors.put(id, failure.text());
				if (failure.permanent()) {
					permanent.put(id, failure.text());
					pending.remove(id);
				}
			});
		}
		if (!pending.isEmpty() || !permanent.isEmpty()) {
			List<String> ids = new ArrayList<>(permanent.keySet());
			ids.addAll(pending.keySet());
			StringBuilder text = new StringBuilder("Could not send " + ids.size() + " SQS message(s):");
			for (String id : ids) {
				text.append(' ').append(id).append(" (").append(lastErrors.get(id)).append(')');
			}
			throw new SqsBatchSendException(text.toString(), ids);
		}
	}

	private Map<String, Failure> sendOnce(List<OutboundMessage> messages) {
		Map<String, List<OutboundMessage>> byQueue = new LinkedHashMap<>();
		for (OutboundMessage message : messages) {
			byQueue.computeIfAbsent(message.queueUrl(), (url) -> new ArrayList<>()).add(message);
		}
		Map<String, Failure> failed = new LinkedHashMap<>();
		List<CompletableFuture<SendMessageBatchResponse>> calls = new ArrayList<>();
		List<Map<String, String>> entryIdsByCall = new ArrayList<>();
		byQueue.forEach((queueUrl, queueMessages) -> {
			SendMessageBatches.Plan plan = SendMessageBatches.plan(queueMessages, this.maxMessageSize.of(queueUrl));
			for (SendMessageBatches.TooLarge tooLarge : plan.tooLarge()) {
				failed.put(tooLarge.message().id(), new Failure("MessageTooLong: " + tooLarge.reason(), true));
			}
			for (List<OutboundMessage> batch : plan.batches()) {
				Map<String, String> entryIds = new HashMap<>();
				List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
				for (int i = 0; i < batch.size(); i++) {
					// Entry ids must be short and alphanumeric: the message ids are not.
					String entryId = "m" + i;
					OutboundMessage message = batch.get(i);
					entryIds.put(entryId, message.id());
					SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder()
						.id(entryId)
						.messageBody(message.body());
					if (!message.attributes().isEmpty()) {
						entry.messageAttributes(message.attributes());
					}
					entries.add(entry.build());
				}
				entryIdsByCall.add(entryIds);
				calls.add(this.client
					.sendMessageBatch(SendMessageBatchRequest.builder().queueUrl(queueUrl).entries(entries).build()));
			}
		});
		RuntimeException callFailure = null;
		for (int i = 0; i < calls.size(); i++) {
			try {
				SendMessageBatchResponse response = calls.get(i).join();
				Map<String, String> entryIds = entryIdsByCall.get(i);
				for (BatchResultErrorEntry error : response.failed()) {
					failed.put(entryIds.get(error.id()), new Failure(error.code() + ": " + error.message(),
							Boolean.TRUE.equals(error.senderFault())));
				}
			}
			catch (CompletionException ex) {
				// Wait for the other calls before failing, so none is still in flight.
				callFailure = (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
			}
		}
		if (callFailure != null) {
			throw callFailure;
		}
		return failed;
	}

	/** Why an entry was not sent, and whether another attempt could help. */
	private record Failure(String text, boolean permanent) {

	}

	/**
	 * Builds an {@link SqsBatchSender}.
	 */
	public static final class Builder {

		private SqsAsyncClient client;

		private int maxAttempts = 4;

		private Duration initialBackOff = Duration.ofMillis(200);

		private SqsMaximumMessageSize maxMessageSize;

		private Builder() {
		}

		public Builder client(SqsAsyncClient client) {
			this.client = client;
			return this;
		}

		/**
		 * Attempts per entry that SQS fails (not the sender's fault), the first included.
		 * @param maxAttempts at least 1
		 * @return this builder
		 */
		public Builder maxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
			return this;
		}

		/**
		 * The wait before the second attempt; it doubles for each further one.
		 * @param initialBackOff not negative
		 * @return this builder
		 */
		public Builder initialBackOff(Duration initialBackOff) {
			this.initialBackOff = initialBackOff;
			return this;
		}

		/**
		 * Where each queue's maximum message size comes from; by default read through the
		 * client, falling back to {@value SqsMaximumMessageSize#DEFAULT_BYTES} bytes.
		 * Share one between senders (and checks) of the same queues to read it once.
		 * @param maxMessageSize the sizes
		 * @return this builder
		 */
		public Builder maxMessageSize(SqsMaximumMessageSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
			return this;
		}

		public SqsBatchSender build() {
			if (this.client == null) {
				throw new IllegalStateException("An SqsAsyncClient is required");
			}
			if (this.maxAttempts < 1) {
				throw new IllegalStateException("maxAttempts must be at least 1");
			}
			if (this.initialBackOff == null || this.initialBackOff.isNegative()) {
				throw new IllegalStateException("initialBackOff must not be negative");
			}
			return new SqsBatchSender(this.client, this.maxAttempts, this.initialBackOff,
					(this.maxMessageSize != null) ? this.maxMessageSize : new SqsMaximumMessageSize(this.client));
		}

	}

}
