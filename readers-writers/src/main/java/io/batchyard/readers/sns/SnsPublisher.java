package io.batchyard.readers.sns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Publishes message bodies to one SNS topic, one by one ({@link #publish}) or with
 * {@code PublishBatch} ({@link #publishAll}): up to 10 per call and at most 256 KiB per
 * call ({@link PublishBatches}). Entries SNS fails are retried on their own, with a
 * doubling back-off, up to a number of attempts; entries that still fail (or that SNS
 * rejects as the sender's fault, which no retry can fix, or that are too large on their
 * own) make {@link #publishAll} throw an {@link SnsPublishException} naming them. A whole
 * call that fails (network, throttling, 5xx) is retried by the SDK's own retry policy;
 * what still fails is thrown.
 */
public class SnsPublisher {

	private static final Log logger = LogFactory.getLog(SnsPublisher.class);

	private final SnsClient client;

	private final String topicArn;

	private final int maxAttempts;

	private final Duration initialBackOff;

	SnsPublisher(SnsClient client, String topicArn, int maxAttempts, Duration initialBackOff) {
		this.client = client;
		this.topicArn = topicArn;
		this.maxAttempts = maxAttempts;
		this.initialBackOff = initialBackOff;
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Publishes one message.
	 * @param body the body
	 * @return the SNS message id
	 */
	public String publish(String body) {
		return this.client.publish(PublishRequest.builder().topicArn(this.topicArn).message(body).build()).messageId();
	}

	/**
	 * Publishes every message, or throws naming those that could not be published (the
	 * others were published, once each).
	 * @param messages the messages, in order
	 * @throws SnsPublishException if some could not be published
	 */
	public void publishAll(List<OutboundNotification> messages) {
		// Keyed by position: the business ids need not be unique.
		Map<Integer, OutboundNotification> pending = new LinkedHashMap<>();
		for (int i = 0; i < messages.size(); i++) {
			pending.put(i, messages.get(i));
		}
		Map<Integer, String> permanent = new LinkedHashMap<>();
		Map<Integer, String> lastErrors = new LinkedHashMap<>();
		Duration backOff = this.initialBackOff;
		for (int attempt = 1; attempt <= this.maxAttempts && !pending.isEmpty(); attempt++) {
			if (attempt > 1) {
				logger.warn("Retrying " + pending.size() + " SNS message(s) to " + this.topicArn + " after "
						+ backOff.toMillis() + " ms:" + describe(pending.keySet(), messages, lastErrors));
				LockSupport.parkNanos(backOff.toNanos());
				backOff = backOff.multipliedBy(2);
			}
			Map<Integer, Failure> failed = publishOnce(pending);
			pending.keySet().retainAll(failed.keySet());
			failed.forEach((index, failure) -> {
				lastErrors.put(index, failure.text());
				if (failure.permanent()) {
					permanent.put(index, failure.text());
					pending.remove(index);
				}
			});
		}
		if (!pending.isEmpty() || !permanent.isEmpty()) {
			List<Integer> indexes = new ArrayList<>(permanent.keySet());
			indexes.addAll(pending.keySet());
			throw new SnsPublishException(
					"Could not publish " + indexes.size() + " SNS message(s) to " + this.topicArn + ":"
							+ describe(indexes, messages, lastErrors),
					indexes.stream().map((index) -> messages.get(index).id()).toList());
		}
	}

	private static String describe(Iterable<Integer> indexes, List<OutboundNotification> messages,
			Map<Integer, String> errors) {
		StringBuilder text = new StringBuilder();
		for (Integer index : indexes) {
			text.append(' ').append(messages.get(index).id()).append(" (").append(errors.get(index)).append(')');
		}
		return text.toString();
	}

	private Map<Integer, Failure> publishOnce(Map<Integer, OutboundNotification> pending) {
		// Planned under their positions as ids, to map each entry back to its message.
		List<OutboundNotification> byPosition = new ArrayList<>();
		pending.forEach((index, message) -> byPosition.add(new OutboundNotification(index.toString(), message.body())));
		PublishBatches.Plan plan = PublishBatches.plan(byPosition, PublishBatches.MAX_BYTES);
		Map<Integer, Failure> failed = new LinkedHashMap<>();
		for (PublishBatches.TooLarge tooLarge : plan.tooLarge()) {
			failed.put(Integer.valueOf(tooLarge.message().id()), new Failure("TooLarge: " + tooLarge.reason(), true));
		}
		for (List<OutboundNotification> batch : plan.batches()) {
			Map<String, Integer> entryIds = new LinkedHashMap<>();
			List<PublishBatchRequestEntry> entries = new ArrayList<>();
			for (int i = 0; i < batch.size(); i++) {
				// Entry ids must be short and alphanumeric: the business ids are not.
				String entryId = "m" + i;
				entryIds.put(entryId, Integer.valueOf(batch.get(i).id()));
				entries.add(PublishBatchRequestEntry.builder().id(entryId).message(batch.get(i).body()).build());
			}
			PublishBatchResponse response = this.client
				.publishBatch((request) -> request.topicArn(this.topicArn).publishBatchRequestEntries(entries));
			for (BatchResultErrorEntry error : response.failed()) {
				Integer index = entryIds.get(error.id());
				if (index == null) {
					throw new IllegalStateException("SNS answered for an entry id it was not sent: " + error.id());
				}
				failed.put(index,
						new Failure(error.code() + ": " + error.message(), Boolean.TRUE.equals(error.senderFault())));
			}
		}
		return failed;
	}

	public String getTopicArn() {
		return this.topicArn;
	}

	/** Why an entry was not published, and whether another attempt could help. */
	private record Failure(String text, boolean permanent) {

	}

	/**
	 * Builds an {@link SnsPublisher}.
	 */
	public static final class Builder {

		private SnsClient client;

		private String topicArn;

		private int maxAttempts = 4;

		private Duration initialBackOff = Duration.ofMillis(200);

		private Builder() {
		}

		public Builder client(SnsClient client) {
			this.client = client;
			return this;
		}

		public Builder topicArn(String topicArn) {
			this.topicArn = topicArn;
			return this;
		}

		/**
		 * Attempts per {@code PublishBatch} entry that SNS fails (not the sender's
		 * fault), the first included.
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

		public SnsPublisher build() {
			Assert.notNull(this.client, "An SnsClient is required");
			Assert.state(StringUtils.hasText(this.topicArn), "A topic ARN is required");
			Assert.state(this.maxAttempts >= 1, "maxAttempts must be at least 1");
			Assert.state(this.initialBackOff != null && !this.initialBackOff.isNegative(),
					"initialBackOff must not be negative");
			return new SnsPublisher(this.client, this.topicArn, this.maxAttempts, this.initialBackOff);
		}

	}

}
