package io.batchyard.launcher.catalogue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;

/**
 * How many messages wait in the trigger queues and their dead-letter queues, for the
 * dashboard: SQS's {@code ApproximateNumberOfMessages} of a queue, and of the dead-letter
 * queue its redrive policy names. Only the first read of a queue holds a page, and for at
 * most {@link QueueDepthProperties#timeout()}: the queues are read in parallel, what has
 * not answered by then shows as unavailable, and the read carries on for the next page. A
 * depth, or the failure to read it, is reused for {@link QueueDepthProperties#cacheFor()}
 * (a busy dashboard does not poll SQS); after that the next page starts a new read
 * without waiting for it and shows the last depth (or the last failure) meanwhile, so a
 * slow or unreachable SQS costs a page nothing once the queue was read once.
 */
public class QueueDepths {

	private static final Log logger = LogFactory.getLog(QueueDepths.class);

	private final ObjectProvider<SqsAsyncClient> sqs;

	private final QueueDepthProperties properties;

	private final Clock clock;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	public QueueDepths(ObjectProvider<SqsAsyncClient> sqs, QueueDepthProperties properties, Clock clock) {
		this.sqs = sqs;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * A queue's depth.
	 *
	 * @param queue the queue, as configured (a name or URL)
	 * @param messages messages waiting, or {@code null} if unknown
	 * @param deadLetterQueue the dead-letter queue its redrive policy names, or
	 * {@code null} if it has none (or it is unknown)
	 * @param deadLetterMessages messages in the dead-letter queue, or {@code null} if
	 * unknown
	 * @param problem why something is unknown, or {@code null}
	 */
	public record Depth(String queue, Long messages, String deadLetterQueue, Long deadLetterMessages, String problem) {

		static Depth unavailable(String queue, String problem) {
			return new Depth(queue, null, null, null, problem);
		}

		/**
		 * For pages: the waiting messages, or why they are unknown.
		 * @return "3 waiting" or "unavailable (...)"
		 */
		public String describe() {
			return (this.messages != null) ? this.messages + " waiting" : "unavailable (" + this.problem + ")";
		}

		/**
		 * Whether the dead-letter queue holds messages.
		 * @return {@code true} if it is known to
		 */
		public boolean deadLettersWaiting() {
			return this.deadLetterMessages != null && this.deadLetterMessages > 0;
		}

		/**
		 * Whether the dead-letter queue's depth could not be read.
		 * @return {@code true} when unknown for a reason
		 */
		public boolean deadLettersUnknown() {
			return this.deadLetterMessages == null && this.problem != null;
		}

	}

	/**
	 * One read, when it finished (the cache period counts from there, so a slow answer is
	 * not thrown away at once), the last depth read before it and the previous read's
	 * outcome (shown while this read is under way).
	 */
	private record Entry(CompletableFuture<Depth> read, AtomicReference<Instant> finishedAt, Depth last,
			Depth previousOutcome) {

		boolean freshAt(Instant now, Duration cacheFor) {
			Instant finished = this.finishedAt.get();
			return finished == null || finished.plus(cacheFor).isAfter(now);
		}

		Depth lastKnown() {
			if (this.read.isDone() && !this.read.isCompletedExceptionally()) {
				Depth depth = this.read.join();
				return (depth.problem() == null) ? depth : this.last;
			}
			return this.last;
		}

	}

	/**
	 * The depths of some queues, within the timeout.
	 * @param queues the queues (names or URLs)
	 * @return each queue's depth, in the order given
	 */
	public Map<String, Depth> depths(Collection<String> queues) {
		Instant now = this.clock.instant();
		Duration timeout = this.properties.timeout();
		Map<String, Entry> current = new LinkedHashMap<>();
		List<CompletableFuture<Depth>> started = new ArrayList<>();
		for (String queue : new LinkedHashSet<>(queues)) {
			current.put(queue, this.entries.compute(queue, (key, previous) -> {
				if (previous != null && previous.freshAt(now, this.properties.cacheFor())) {
					// Fresh enough, or still being read: no second read of the same
					// queue.
					return previous;
				}
				CompletableFuture<Depth> read = read(key);
				Entry entry = (previous != null) ? new Entry(read, new AtomicReference<>(), previous.lastKnown(),
						outcome(key, previous, timeout)) : new Entry(read, new AtomicReference<>(), null, null);
				read.whenComplete((depth, failure) -> entry.finishedAt().set(this.clock.instant()));
				if (previous == null) {
					// Nothing to show yet: worth waiting for. A refresh of a queue read
					// before never holds a page: the page shows the previous outcome.
					started.add(read);
				}
				return entry;
			}));
		}
		if (!started.isEmpty()) {
			try {
				CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
					.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				// Each queue's own outcome is read below.
			}
		}
		Map<String, Depth> depths = new LinkedHashMap<>();
		current.forEach((queue, entry) -> depths.put(queue, outcome(queue, entry, timeout)));
		return depths;
	}

	private static Depth outcome(String queue, Entry entry, Duration timeout) {
		CompletableFuture<Depth> read = entry.read();
		if (!read.isDone()) {
			if (entry.last() != null) {
				return entry.last();
			}
			return (entry.previousOutcome() != null) ? entry.previousOutcome()
					: Depth.unavailable(queue, "SQS did not answer within " + timeout.toMillis() + " ms");
		}
		try {
			return read.join();
		}
		catch (CompletionException ex) {
			return Depth.unavailable(queue, reason(ex, timeout));
		}
	}

	private CompletableFuture<Depth> read(String queue) {
		SqsAsyncClient client = this.sqs.getIfAvailable();
		if (client == null) {
			return CompletableFuture.completedFuture(Depth.unavailable(queue, "no SQS client"));
		}
		Duration timeout = this.properties.timeout();
		try {
			return url(client, queue).thenCompose((url) -> client.getQueueAttributes((request) -> request.queueUrl(url)
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.REDRIVE_POLICY)
				.overrideConfiguration((call) -> call.apiCallTimeout(timeout)))).thenCompose((answer) -> {
					Long messages = number(answer.attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
					String deadLetterQueue = deadLetterQueue(
							answer.attributes().get(QueueAttributeName.REDRIVE_POLICY));
					if (deadLetterQueue == null) {
						return CompletableFuture.completedFuture(new Depth(queue, messages, null, null, null));
					}
					return url(client, deadLetterQueue)
						.thenCompose((url) -> client.getQueueAttributes((request) -> request.queueUrl(url)
							.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
							.overrideConfiguration((call) -> call.apiCallTimeout(timeout))))
						.thenApply((dead) -> new Depth(queue, messages, deadLetterQueue,
								number(dead.attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)), null))
						.exceptionally((ex) -> new Depth(queue, messages, deadLetterQueue, null,
								"dead-letter queue " + deadLetterQueue + ": " + reason(ex, timeout)));
				});
		}
		catch (RuntimeException ex) {
			// The client refused before sending (a malformed queue URL).
			return CompletableFuture.failedFuture(ex);
		}
	}

	private CompletableFuture<String> url(SqsAsyncClient client, String queue) {
		if (queue.startsWith("https://") || queue.startsWith("http://")) {
			return CompletableFuture.completedFuture(queue);
		}
		return client
			.getQueueUrl((request) -> request.queueName(queue)
				.overrideConfiguration((call) -> call.apiCallTimeout(this.properties.timeout())))
			.thenApply((answer) -> answer.queueUrl());
	}

	/**
	 * The dead-letter queue's name, from the redrive policy's target ARN
	 * ({@code arn:aws:sqs:region:account:name}).
	 */
	static String deadLetterQueue(String redrivePolicy) {
		if (redrivePolicy == null || redrivePolicy.isBlank()) {
			return null;
		}
		try {
			String arn = JsonMapper.shared().readTree(redrivePolicy).path("deadLetterTargetArn").asString(null);
			return (arn != null && !arn.isBlank()) ? arn.substring(arn.lastIndexOf(':') + 1) : null;
		}
		catch (JacksonException ex) {
			logger.debug("Unreadable redrive policy " + redrivePolicy, ex);
			return null;
		}
	}

	private static Long number(String value) {
		try {
			return (value != null) ? Long.valueOf(value) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static String reason(Throwable failure, Duration timeout) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof ApiCallTimeoutException) {
			return "SQS did not answer within " + timeout.toMillis() + " ms";
		}
		if (cause instanceof QueueDoesNotExistException) {
			return "no such queue";
		}
		String message = (cause.getMessage() != null) ? cause.getMessage().lines().findFirst().orElse("") : "";
		if (message.length() > 160) {
			message = message.substring(0, 160) + "…";
		}
		return cause.getClass().getSimpleName() + (message.isBlank() ? "" : ": " + message);
	}

}
