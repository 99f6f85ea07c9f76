package io.batchyard.readers.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.batchyard.test.EmulatorClients;
import io.batchyard.test.ElasticMqServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link SqsBatchSender} against ElasticMQ.
 */
class SqsBatchSenderTests {

	static SqsAsyncClient client;

	@BeforeAll
	static void start() {
		client = EmulatorClients.client(SqsAsyncClient.builder(), ElasticMqServer.endpoint());
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
