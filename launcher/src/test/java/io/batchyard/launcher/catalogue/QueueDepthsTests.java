package io.batchyard.launcher.catalogue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import org.springframework.beans.factory.ObjectProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.withSettings;

/**
 * A slow, failing or absent SQS never holds a page longer than the timeout, and its
 * answers (failures included) are reused for the cache period. Against ElasticMQ:
 * {@code QueueDepthPagesTests}.
 */
class QueueDepthsTests {

	private static final Duration TIMEOUT = Duration.ofMillis(200);

	private final TestClock clock = new TestClock();

	// Every SqsAsyncClient method is a default method: the real consumer-builder
	// variants build the request and call the stubbed request variants.
	private final SqsAsyncClient sqs = mock(SqsAsyncClient.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));

	private final QueueDepths depths = new QueueDepths(provider(this.sqs),
			new QueueDepthProperties(TIMEOUT, Duration.ofSeconds(10)), this.clock);

	@Test
	void readsTheQueueAndTheDeadLetterQueueItsRedrivePolicyNames() {
		url("jobs", "http://sqs/000000000000/jobs");
		url("jobs-dead", "http://sqs/000000000000/jobs-dead");
		attributes("http://sqs/000000000000/jobs", Map.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "7",
				QueueAttributeName.REDRIVE_POLICY,
				"{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:jobs-dead\",\"maxReceiveCount\":\"5\"}"));
		attributes("http://sqs/000000000000/jobs-dead", Map.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "2"));

		QueueDepths.Depth depth = this.depths.depths(List.of("jobs")).get("jobs");

		assertThat(depth).isEqualTo(new QueueDepths.Depth("jobs", 7L, "jobs-dead", 2L, null));
		assertThat(depth.describe()).isEqualTo("7 waiting");
		assertThat(depth.deadLettersWaiting()).isTrue();
	}

	@Test
	void aQueueWithoutRedrivePolicyHasNoDeadLetterQueue() {
		attributes("https://sqs.eu-west-1.amazonaws.com/1/direct",
				Map.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));

		// A configured URL is used as it is: no look-up.
		assertThat(this.depths.depths(List.of("https://sqs.eu-west-1.amazonaws.com/1/direct")))
			.containsValue(new QueueDepths.Depth("https://sqs.eu-west-1.amazonaws.com/1/direct", 0L, null, null, null));
		verify(this.sqs, times(0)).getQueueUrl(any(GetQueueUrlRequest.class));
	}

	@Test
	void anSqsThatDoesNotAnswerCostsTheFirstPageOneTimeoutThenNothing() {
		CompletableFuture<GetQueueUrlResponse> never = new CompletableFuture<>();
		doReturn(never).when(this.sqs).getQueueUrl(any(GetQueueUrlRequest.class));

		long started = System.nanoTime();
		QueueDepths.Depth first = this.depths.depths(List.of("slow")).get("slow");
		long waitedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

		assertThat(first.messages()).isNull();
		assertThat(first.describe()).isEqualTo("unavailable (SQS did not answer within 200 ms)");
		assertThat(waitedMillis).isGreaterThanOrEqualTo(TIMEOUT.toMillis());
		// Still unanswered, even after the cache period: the same read, no second one,
		// and no wait.
		this.clock.advance(Duration.ofMinutes(1));
		started = System.nanoTime();
		assertThat(this.depths.depths(List.of("slow")).get("slow").describe())
			.isEqualTo("unavailable (SQS did not answer within 200 ms)");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT);
		verify(this.sqs, times(1)).getQueueUrl(any(GetQueueUrlRequest.class));

		// It answers at last: the next page shows the depth without asking again.
		attributes("http://sqs/000000000000/slow", Map.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "4"));
		never.complete(GetQueueUrlResponse.builder().queueUrl("http://sqs/000000000000/slow").build());
		assertThat(this.depths.depths(List.of("slow")).get("slow").describe()).isEqualTo("4 waiting");
		verify(this.sqs, times(1)).getQueueUrl(any(GetQueueUrlRequest.class));
	}

	@Test
	void aFailureIsReusedForTheCachePeriodAndTheLastDepthShownWhileTheNextReadIsSlow() {
		url("flaky", "http://sqs/000000000000/flaky");
		attributes("http://sqs/000000000000/flaky", Map.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "3"));
		assertThat(this.depths.depths(List.of("flaky")).get("flaky").describe()).isEqualTo("3 waiting");

		// Within the period: the cached depth, SQS not asked.
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.depths.depths(List.of("flaky")).get("flaky").describe()).isEqualTo("3 waiting");
		verify(this.sqs, times(1)).getQueueUrl(any(GetQueueUrlRequest.class));

		// After it, a read that does not answer: the last depth meanwhile, at once.
		this.clock.advance(Duration.ofSeconds(6));
		doReturn(new CompletableFuture<>()).when(this.sqs).getQueueUrl(any(GetQueueUrlRequest.class));
		long started = System.nanoTime();
		assertThat(this.depths.depths(List.of("flaky")).get("flaky").describe()).isEqualTo("3 waiting");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT);
		verify(this.sqs, times(2)).getQueueUrl(any(GetQueueUrlRequest.class));

		// A failure is shown, and kept for the period.
		QueueDepths failing = new QueueDepths(provider(this.sqs),
				new QueueDepthProperties(TIMEOUT, Duration.ofSeconds(10)), this.clock);
		doReturn(CompletableFuture.failedFuture(SdkClientException.create("Unable to execute HTTP request")))
			.when(this.sqs)
			.getQueueUrl(any(GetQueueUrlRequest.class));
		assertThat(failing.depths(List.of("down")).get("down").describe())
			.isEqualTo("unavailable (SdkClientException: Unable to execute HTTP request)");
		assertThat(failing.depths(List.of("down")).get("down").describe()).startsWith("unavailable");
		verify(this.sqs, times(3)).getQueueUrl(any(GetQueueUrlRequest.class));
		// After the period a new read that hangs: the last failure is shown at once.
		this.clock.advance(Duration.ofSeconds(11));
		doReturn(new CompletableFuture<>()).when(this.sqs).getQueueUrl(any(GetQueueUrlRequest.class));
		started = System.nanoTime();
		assertThat(failing.depths(List.of("down")).get("down").describe())
			.isEqualTo("unavailable (SdkClientException: Unable to execute HTTP request)");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT);
		verify(this.sqs, times(4)).getQueueUrl(any(GetQueueUrlRequest.class));
	}

	@Test
	void withoutAnSqsClientEveryQueueIsUnavailable() {
		QueueDepths none = new QueueDepths(provider(null), new QueueDepthProperties(TIMEOUT, Duration.ofSeconds(10)),
				this.clock);
		assertThat(none.depths(List.of("a", "b")).values()).extracting(QueueDepths.Depth::describe)
			.containsExactly("unavailable (no SQS client)", "unavailable (no SQS client)");
	}

	@Test
	void readsTheDeadLetterQueueNameFromTheRedrivePolicy() {
		assertThat(QueueDepths.deadLetterQueue(
				"{\"deadLetterTargetArn\":\"arn:aws:sqs:elasticmq:000000000000:batchyard-launch-dlq\",\"maxReceiveCount\":\"5\"}"))
			.isEqualTo("batchyard-launch-dlq");
		assertThat(QueueDepths.deadLetterQueue(null)).isNull();
		assertThat(QueueDepths.deadLetterQueue("not json")).isNull();
		assertThat(QueueDepths.deadLetterQueue("{\"maxReceiveCount\":\"5\"}")).isNull();
	}

	private void url(String name, String url) {
		doReturn(CompletableFuture.completedFuture(GetQueueUrlResponse.builder().queueUrl(url).build())).when(this.sqs)
			.getQueueUrl(argThat((GetQueueUrlRequest request) -> request != null && name.equals(request.queueName())));
	}

	private void attributes(String url, Map<QueueAttributeName, String> attributes) {
		doReturn(CompletableFuture.completedFuture(GetQueueAttributesResponse.builder().attributes(attributes).build()))
			.when(this.sqs)
			.getQueueAttributes(
					argThat((GetQueueAttributesRequest request) -> request != null && url.equals(request.queueUrl())));
	}

	@SuppressWarnings("unchecked")
	private static ObjectProvider<SqsAsyncClient> provider(SqsAsyncClient client) {
		ObjectProvider<SqsAsyncClient> provider = mock(ObjectProvider.class);
		doReturn(client).when(provider).getIfAvailable();
		return provider;
	}

	private static final class TestClock extends Clock {

		private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T10:00:00Z"));

		void advance(Duration duration) {
			this.now.updateAndGet((instant) -> instant.plus(duration));
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now.get();
		}

	}

}
