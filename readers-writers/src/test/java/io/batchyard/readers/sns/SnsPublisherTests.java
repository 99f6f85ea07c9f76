package io.batchyard.readers.sns;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.batchyard.test.EmulatorClients;
import io.batchyard.test.SnsQueryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.sns.SnsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link SnsPublisher} through the real SDK against the SNS Query-protocol stand-in,
 * which refuses batches SNS would refuse (more than 10 entries, more than 256 KiB).
 */
class SnsPublisherTests {

	static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:publisher-test";

	static SnsQueryServer sns;

	static SnsClient client;

	SnsPublisher publisher = SnsPublisher.builder()
		.client(client)
		.topicArn(TOPIC)
		.maxAttempts(3)
		.initialBackOff(Duration.ofMillis(1))
		.build();

	@BeforeAll
	static void start() {
		sns = SnsQueryServer.start();
		client = EmulatorClients.client(SnsClient.builder(), sns.endpoint());
	}

	@AfterAll
	static void stop() {
		client.close();
		sns.close();
	}

	@BeforeEach
	void clear() {
		sns.clear();
	}

	@Test
	void publishesTenPerCallInOrderWithTheBodiesAsGiven() {
		List<OutboundNotification> messages = PublishBatchesTests.messages(23, 40);

		this.publisher.publishAll(messages);

		assertThat(sns.batchSizes()).containsExactly(10, 10, 3);
		assertThat(sns.messages()).isEqualTo(messages.stream().map(OutboundNotification::body).toList());
		assertThat(sns.published()).allSatisfy((request) -> {
			assertThat(request).containsEntry("TopicArn", TOPIC);
			// The body alone: no attributes, subject or structure, as with Publish.
			assertThat(request.keySet()).containsExactly("Action", "TopicArn", "Id", "Message");
		});
	}

	@Test
	void splitsACallThatWouldPassTheSnsPayloadLimit() {
		// 10 entries fit the count; 10 x 100,000 bytes would be refused as
		// BatchRequestTooLong.
		List<OutboundNotification> messages = PublishBatchesTests.messages(10, 100_000);

		this.publisher.publishAll(messages);

		assertThat(sns.batchSizes()).containsExactly(2, 2, 2, 2, 2);
		assertThat(sns.messages()).isEqualTo(messages.stream().map(OutboundNotification::body).toList());
	}

	@Test
	void retriesOnlyTheEntrySnsFailed() {
		List<OutboundNotification> messages = PublishBatchesTests.messages(3, 40);
		sns.failEntries("m-1", 1);

		this.publisher.publishAll(messages);

		assertThat(sns.batchSizes()).containsExactly(3, 1);
		assertThat(sns.messages()).containsExactly(messages.get(0).body(), messages.get(2).body(),
				messages.get(1).body());
	}

	@Test
	void anEntryThatStillFailsAfterItsAttemptsIsThrownNamedAndNeverDropped() {
		List<OutboundNotification> messages = PublishBatchesTests.messages(3, 40);
		sns.failEntries("m-1", 3);

		assertThatExceptionOfType(SnsPublishException.class).isThrownBy(() -> this.publisher.publishAll(messages))
			.satisfies((ex) -> {
				assertThat(ex.getFailedIds()).containsExactly("m-1");
				assertThat(ex.getMessage()).isEqualTo("Could not publish 1 SNS message(s) to " + TOPIC
						+ ": m-1 (InternalError: Injected entry fault)");
			});
		assertThat(sns.batchSizes()).containsExactly(3, 1, 1);
		assertThat(sns.messages()).containsExactly(messages.get(0).body(), messages.get(2).body());
	}

	@Test
	void aMessageTooLargeOnItsOwnIsThrownAndTheOthersPublished() {
		List<OutboundNotification> messages = List.of(PublishBatchesTests.message("small", 10),
				PublishBatchesTests.message("huge", PublishBatches.MAX_BYTES + 1));

		assertThatExceptionOfType(SnsPublishException.class).isThrownBy(() -> this.publisher.publishAll(messages))
			.satisfies((ex) -> assertThat(ex.getFailedIds()).containsExactly("huge"));
		assertThat(sns.messages()).containsExactly(messages.get(0).body());
	}

	@Test
	void repeatedBusinessIdsAreEachPublished() {
		List<OutboundNotification> messages = List.of(new OutboundNotification("same", "one"),
				new OutboundNotification("same", "two"));

		this.publisher.publishAll(messages);

		assertThat(sns.messages()).containsExactly("one", "two");
	}

	@Test
	void singlePublishStillRecordsItsParameters() {
		this.publisher.publish("alone");

		assertThat(sns.published()).singleElement()
			.satisfies((request) -> assertThat(request)
				.containsAllEntriesOf(Map.of("Action", "Publish", "TopicArn", TOPIC, "Message", "alone")));
		assertThat(sns.batchSizes()).isEmpty();
	}

	@Test
	void builderRefusesNoAttempts() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SnsPublisher.builder().client(client).topicArn(TOPIC).maxAttempts(0).build())
			.withMessage("maxAttempts must be at least 1");
	}

}
