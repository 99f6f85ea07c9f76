package io.batchyard.readers.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.batchyard.test.EmulatorClients;
import io.batchyard.test.ElasticMqServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link SqsBatchSender} against ElasticMQ, the client recording every
 * {@code SendMessageBatch} call it makes.
 */
class SqsBatchSenderTests {

	static SqsAsyncClient client;

	/** The SendMessageBatch requests the client sent, in order. */
	static final List<SendMessageBatchRequest> batches = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void start() {
		ExecutionInterceptor recorder = new ExecutionInterceptor() {
			@Override
			public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
				if (context.request() instanceof SendMessageBatchRequest request) {
					batches.add(request);
				}
			}
		};
		client = EmulatorClients.client(
				SqsAsyncClient.builder().overrideConfiguration((c) -> c.addExecutionInterceptor(recorder)),
				ElasticMqServer.endpoint());
	}

	static List<SendMessageBatchRequest> batchesTo(String queueUrl) {
		return batches.stream().filter((request) -> request.queueUrl().equals(queueUrl)).toList();
	}

	static long payload(SendMessageBatchRequest request) {
		return request.entries()
			.stream()
			.mapToLong((entry) -> SqsMessageSize.of(entry.messageBody(), entry.messageAttributes()))
			.sum();
	}

	@AfterAll
	static void stop() {
		client.close();
	}

	static String queue(String name) {
		return client.createQueue((b) -> b.queueName(name + "-" + System.nanoTime())).join().queueUrl();
	}

	static List<String> drain(String url) {
		List<String> bodies = new ArrayList<>();
		while (true) {
			List<Message> messages = client
				.receiveMessage((b) -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
				.join()
				.messages();
			if (messages.isEmpty()) {
				return bodies;
			}
			for (Message message : messages) {
				bodies.add(message.body());
				client.deleteMessage((b) -> b.queueUrl(url).receiptHandle(message.receiptHandle())).join();
			}
		}
	}

	@Test
	void sendsEveryMessageToItsQueueInBatchesOfTen() {
		String a = queue("a");
		String b = queue("b");
		List<OutboundMessage> messages = new ArrayList<>();
		for (int i = 0; i < 23; i++) {
			messages.add(new OutboundMessage("id-" + i, (i < 21) ? a : b, "body-" + i));
		}

		SqsBatchSender.builder().client(client).build().send(messages);

		assertThat(drain(a)).hasSize(21).contains("body-0", "body-20").doesNotHaveDuplicates();
		assertThat(drain(b)).containsExactlyInAnyOrder("body-21", "body-22");
		assertThat(batchesTo(a)).extracting((request) -> request.entries().size()).containsExactly(10, 10, 1);
		assertThat(batchesTo(b)).extracting((request) -> request.entries().size()).containsExactly(2);
	}

	@Test
	void fiveMessagesOfAHundredKilobytesGoInCallsOfAtMostTheQueuesMaximumMessageSize() {
		// ElasticMQ reports no MaximumMessageSize: the sender falls back to 262,144
		// bytes.
		String a = queue("large");
		List<OutboundMessage> messages = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			messages.add(new OutboundMessage("id-" + i, a, i + "x".repeat(100_000)));
		}

		SqsBatchSender.builder().client(client).build().send(messages);

		List<SendMessageBatchRequest> calls = batchesTo(a);
		assertThat(calls).extracting((request) -> request.entries().size()).containsExactly(2, 2, 1);
		assertThat(calls).allSatisfy((request) -> assertThat(payload(request)).isLessThanOrEqualTo(262_144));
		assertThat(drain(a)).hasSize(5)
			.extracting((body) -> body.substring(0, 1))
			.containsExactlyInAnyOrder("0", "1", "2", "3", "4");
	}

	@Test
	void aSmallerMaximumMessageSizeLimitsEachCallAttributesIncluded() {
		// ElasticMQ neither reports nor enforces MaximumMessageSize (it takes a 600 KB
		// batch), so the limit here is the fallback; reading it from a queue that reports
		// it is SqsMaximumMessageSizeTests.
		String a = queue("small");
		SqsMaximumMessageSize sizes = new SqsMaximumMessageSize(client, 1024, Duration.ofMinutes(5),
				java.time.Clock.systemUTC());
		Map<String, MessageAttributeValue> attributes = Map.of("kind",
				MessageAttributeValue.builder().dataType("String").stringValue("k".repeat(90)).build());
		List<OutboundMessage> messages = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			// 400 + 4 + 6 + 90 = 500 bytes: two to a call of at most 1024.
			messages.add(new OutboundMessage("id-" + i, a, i + "y".repeat(399), attributes));
		}

		SqsBatchSender.builder().client(client).maxMessageSize(sizes).build().send(messages);

		assertThat(batchesTo(a)).extracting((request) -> request.entries().size()).containsExactly(2, 2);
		assertThat(batchesTo(a)).allSatisfy((request) -> assertThat(payload(request)).isEqualTo(1000));
		assertThat(drain(a)).hasSize(4);
	}

	@Test
	void aMessageOverTheMaximumOnItsOwnIsNotSentAndIsNamedWithItsReasonAfterTheOthersWereSent() {
		String a = queue("too-large");
		List<OutboundMessage> messages = List.of(new OutboundMessage("small", a, "fine"),
				new OutboundMessage("huge", a, "z".repeat(262_145)), new OutboundMessage("small-2", a, "also fine"));
		SqsBatchSender sender = SqsBatchSender.builder()
			.client(client)
			.maxAttempts(3)
			.initialBackOff(Duration.ofMillis(1))
			.build();

		assertThatExceptionOfType(SqsBatchSendException.class).isThrownBy(() -> sender.send(messages))
			.satisfies((ex) -> assertThat(ex.getFailedIds()).containsExactly("huge"))
			.withMessage("Could not send 1 SQS message(s): huge (MessageTooLong: the message is 262145 bytes,"
					+ " over the queue's maximum message size of 262144 bytes)");
		assertThat(drain(a)).containsExactlyInAnyOrder("fine", "also fine");
		assertThat(batchesTo(a)).hasSize(1);
	}

	@Test
	void anEntryTheQueueRejectsFailsTheSendNamingItAfterTheOthersWereSent() {
		String a = queue("c");
		List<OutboundMessage> messages = List.of(new OutboundMessage("good-1", a, "fine"),
				new OutboundMessage("bad", a, "nul \u0000 here"), new OutboundMessage("good-2", a, "also fine"));
		SqsBatchSender sender = SqsBatchSender.builder()
			.client(client)
			.maxAttempts(3)
			.initialBackOff(Duration.ofMillis(1))
			.build();

		assertThatExceptionOfType(SqsBatchSendException.class).isThrownBy(() -> sender.send(messages))
			.satisfies((ex) -> assertThat(ex.getFailedIds()).containsExactly("bad"))
			.withMessageStartingWith("Could not send 1 SQS message(s): bad (");
		assertThat(drain(a)).containsExactlyInAnyOrder("fine", "also fine");
	}

	@Test
	void theBuilderNeedsAClient() {
		assertThatIllegalStateException().isThrownBy(() -> SqsBatchSender.builder().build())
			.withMessage("An SqsAsyncClient is required");
	}

}
