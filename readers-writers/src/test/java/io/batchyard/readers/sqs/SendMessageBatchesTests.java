package io.batchyard.readers.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link SendMessageBatches} and {@link SqsMessageSize}: batches of at most ten entries
 * and at most the queue's maximum message size in total, sizes counted as SQS counts
 * them.
 */
class SendMessageBatchesTests {

	static final int LIMIT = 262_144;

	static OutboundMessage message(String id, int bytes) {
		return new OutboundMessage(id, "q", "x".repeat(bytes));
	}

	static List<List<String>> ids(SendMessageBatches.Plan plan) {
		return plan.batches().stream().map((batch) -> batch.stream().map(OutboundMessage::id).toList()).toList();
	}

	@Test
	void fiveMessagesOfAHundredKilobytesGoInThreeCallsNotOne() {
		List<OutboundMessage> messages = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			messages.add(message("m" + i, 100_000));
		}

		SendMessageBatches.Plan plan = SendMessageBatches.plan(messages, LIMIT);

		assertThat(ids(plan)).containsExactly(List.of("m0", "m1"), List.of("m2", "m3"), List.of("m4"));
		assertThat(plan.tooLarge()).isEmpty();
		for (List<OutboundMessage> batch : plan.batches()) {
			assertThat(batch.stream().mapToLong(OutboundMessage::size).sum()).isLessThanOrEqualTo(LIMIT);
		}
	}

	@Test
	void smallMessagesGoTenToACall() {
		List<OutboundMessage> messages = new ArrayList<>();
		for (int i = 0; i < 23; i++) {
			messages.add(message("m" + i, 10));
		}

		SendMessageBatches.Plan plan = SendMessageBatches.plan(messages, LIMIT);

		assertThat(plan.batches()).extracting(List::size).containsExactly(10, 10, 3);
		assertThat(plan.batches().get(2)).extracting(OutboundMessage::id).containsExactly("m20", "m21", "m22");
	}

	@Test
	void aCallMayFillTheLimitExactlyButNotOneByteMore() {
		assertThat(ids(SendMessageBatches.plan(List.of(message("a", 600), message("b", 424)), 1024)))
			.containsExactly(List.of("a", "b"));
		assertThat(ids(SendMessageBatches.plan(List.of(message("a", 600), message("b", 425)), 1024)))
			.containsExactly(List.of("a"), List.of("b"));
	}

	@Test
	void aMessageOverTheLimitOnItsOwnIsSetApartWithItsReasonAndTheOthersKeepTheirOrder() {
		SendMessageBatches.Plan plan = SendMessageBatches
			.plan(List.of(message("a", 500), message("huge", 1025), message("b", 500), message("c", 500)), 1024);

		assertThat(ids(plan)).containsExactly(List.of("a", "b"), List.of("c"));
		assertThat(plan.tooLarge()).singleElement().satisfies((tooLarge) -> {
			assertThat(tooLarge.message().id()).isEqualTo("huge");
			assertThat(tooLarge.reason())
				.isEqualTo("the message is 1025 bytes, over the queue's maximum message size of 1024 bytes");
		});
	}

	@Test
	void nothingToSendIsNoCall() {
		SendMessageBatches.Plan plan = SendMessageBatches.plan(List.of(), LIMIT);
		assertThat(plan.batches()).isEmpty();
		assertThat(plan.tooLarge()).isEmpty();
	}

	@Test
	void theLimitMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> SendMessageBatches.plan(List.of(), 0))
			.withMessage("maxBytes must be positive, not 0");
	}

	@Test
	void theSizeIsTheBodyInUtf8PlusEachAttributesNameTypeAndValue() {
		// "é" is 2 bytes in UTF-8, the emoji 4 (a surrogate pair, 2 chars).
		assertThat(SqsMessageSize.of("aé\uD83D\uDE00", Map.of())).isEqualTo(7);
		Map<String, MessageAttributeValue> attributes = Map.of("trace",
				MessageAttributeValue.builder().dataType("String").stringValue("abc").build(), "n",
				MessageAttributeValue.builder().dataType("Number").stringValue("42").build(), "blob",
				MessageAttributeValue.builder()
					.dataType("Binary")
					.binaryValue(SdkBytes.fromByteArray(new byte[7]))
					.build());
		// body 10; trace: 5 + 6 + 3; n: 1 + 6 + 2; blob: 4 + 6 + 7
		assertThat(SqsMessageSize.of("x".repeat(10), attributes)).isEqualTo(10 + 14 + 9 + 17);
		assertThat(new OutboundMessage("id", "q", "x".repeat(10), attributes).size()).isEqualTo(50);
	}

	@Test
	void attributesCountTowardsTheCallsTotal() {
		Map<String, MessageAttributeValue> attributes = Map.of("k",
				MessageAttributeValue.builder().dataType("String").stringValue("v".repeat(93)).build());
		// 400 + 1 + 6 + 93 = 500 each: two fit in 1000, the third does not.
		List<OutboundMessage> messages = List.of(new OutboundMessage("a", "q", "x".repeat(400), attributes),
				new OutboundMessage("b", "q", "x".repeat(400), attributes),
				new OutboundMessage("c", "q", "x".repeat(400), attributes));

		assertThat(ids(SendMessageBatches.plan(messages, 1000))).containsExactly(List.of("a", "b"), List.of("c"));
	}

}
