package io.batchyard.readers.sqs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SqsMaximumMessageSize} over a stand-in client answering
 * {@code GetQueueAttributes}: the queue's size, kept until the refresh, the fallback when
 * the queue reports none or cannot be asked.
 */
class SqsMaximumMessageSizeTests {

	static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

	/** Answers GetQueueAttributes with what the test says, counting the calls. */
	static final class AttributesClient implements SqsAsyncClient {

		final List<GetQueueAttributesRequest> requests = new ArrayList<>();

		Function<String, CompletableFuture<GetQueueAttributesResponse>> answer;

		AttributesClient(Function<String, CompletableFuture<GetQueueAttributesResponse>> answer) {
			this.answer = answer;
		}

		@Override
		public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
			this.requests.add(request);
			return this.answer.apply(request.queueUrl());
		}

		@Override
		public String serviceName() {
			return "sqs";
		}

		@Override
		public void close() {
		}

	}

	static CompletableFuture<GetQueueAttributesResponse> size(String value) {
		return CompletableFuture.completedFuture(GetQueueAttributesResponse.builder()
			.attributes((value != null) ? Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, value) : Map.of())
			.build());
	}

	static final class MutableClock extends Clock {

		Instant now = T0;

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

	@Test
	void readsTheQueuesAttributeOnceUntilTheRefresh() {
		AttributesClient client = new AttributesClient((url) -> size(url.endsWith("small") ? "1024" : "1048576"));
		MutableClock clock = new MutableClock();
		SqsMaximumMessageSize sizes = new SqsMaximumMessageSize(client, 262_144, Duration.ofMinutes(5), clock);

		assertThat(sizes.of("http://sqs/q-small")).isEqualTo(1024);
		assertThat(sizes.of("http://sqs/q-big")).isEqualTo(1_048_576);
		assertThat(sizes.of("http://sqs/q-small")).isEqualTo(1024);
		assertThat(client.requests).hasSize(2);
		assertThat(client.requests.get(0).attributeNames()).containsExactly(QueueAttributeName.MAXIMUM_MESSAGE_SIZE);

		client.answer = (url) -> size("2048");
		clock.now = T0.plus(Duration.ofMinutes(5)).minusMillis(1);
		assertThat(sizes.of("http://sqs/q-small")).isEqualTo(1024);
		clock.now = T0.plus(Duration.ofMinutes(5));
		assertThat(sizes.of("http://sqs/q-small")).isEqualTo(2048);
		assertThat(client.requests).hasSize(3);
	}

	@Test
	void aQueueThatReportsNoSizeOrNonsenseGetsTheFallback() {
		SqsMaximumMessageSize none = new SqsMaximumMessageSize(new AttributesClient((url) -> size(null)));
		assertThat(none.of("http://sqs/elasticmq")).isEqualTo(SqsMaximumMessageSize.DEFAULT_BYTES).isEqualTo(262_144);
		SqsMaximumMessageSize nonsense = new SqsMaximumMessageSize(new AttributesClient((url) -> size("lots")), 100_000,
				Duration.ofMinutes(1), Clock.systemUTC());
		assertThat(nonsense.of("http://sqs/q")).isEqualTo(100_000);
		SqsMaximumMessageSize zero = new SqsMaximumMessageSize(new AttributesClient((url) -> size("0")));
		assertThat(zero.of("http://sqs/q")).isEqualTo(262_144);
	}

	@Test
	void aQueueThatCannotBeAskedGetsTheFallback() {
		AttributesClient client = new AttributesClient((url) -> CompletableFuture
			.failedFuture(QueueDoesNotExistException.builder().message("The specified queue does not exist").build()));
		SqsMaximumMessageSize sizes = new SqsMaximumMessageSize(client);

		assertThat(sizes.of("http://sqs/missing")).isEqualTo(262_144);
		assertThat(sizes.of("http://sqs/missing")).isEqualTo(262_144);
		assertThat(client.requests).hasSize(1);
	}

}
