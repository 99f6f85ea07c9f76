package io.batchyard.readers.sns;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link PublishBatches}: calls of at most 10 entries and at most the byte limit in
 * total.
 */
class PublishBatchesTests {

	@Test
	void splitsByCountKeepingTheOrder() {
		List<OutboundNotification> messages = messages(23, 10);

		PublishBatches.Plan plan = PublishBatches.plan(messages, PublishBatches.MAX_BYTES);

		assertThat(plan.batches()).extracting(List::size).containsExactly(10, 10, 3);
		assertThat(plan.batches().stream().flatMap(List::stream).toList()).isEqualTo(messages);
		assertThat(plan.tooLarge()).isEmpty();
	}

	@Test
	void splitsByBytesWhenTheTotalWouldPassTheLimit() {
		List<OutboundNotification> messages = messages(5, 100_000);

		PublishBatches.Plan plan = PublishBatches.plan(messages, PublishBatches.MAX_BYTES);

		assertThat(plan.batches()).extracting(List::size).containsExactly(2, 2, 1);
		assertThat(plan.batches().stream().flatMap(List::stream).toList()).isEqualTo(messages);
	}

	@Test
	void aBatchMayReachTheLimitExactly() {
		List<OutboundNotification> messages = List.of(message("a", 131_072), message("b", 131_072), message("c", 1));

		PublishBatches.Plan plan = PublishBatches.plan(messages, PublishBatches.MAX_BYTES);

		assertThat(plan.batches()).extracting(List::size).containsExactly(2, 1);
	}

	@Test
	void countsUtf8Bytes() {
		// 3 bytes each in UTF-8: 2 of 45,000 characters are 270,000 bytes, over the
		// limit.
		List<OutboundNotification> messages = List.of(new OutboundNotification("a", "€".repeat(45_000)),
				new OutboundNotification("b", "€".repeat(45_000)));

		assertThat(PublishBatches.plan(messages, PublishBatches.MAX_BYTES).batches()).extracting(List::size)
			.containsExactly(1, 1);
	}

	@Test
	void setsApartAMessageTooLargeOnItsOwn() {
		OutboundNotification huge = message("huge", PublishBatches.MAX_BYTES + 1);
		List<OutboundNotification> messages = List.of(message("a", 10), huge, message("b", 10));

		PublishBatches.Plan plan = PublishBatches.plan(messages, PublishBatches.MAX_BYTES);

		assertThat(plan.batches()).singleElement().extracting(List::size).isEqualTo(2);
		assertThat(plan.tooLarge()).singleElement().satisfies((tooLarge) -> {
			assertThat(tooLarge.message()).isSameAs(huge);
			assertThat(tooLarge.reason()).isEqualTo("the message is 262145 bytes, over SNS's maximum of 262144 bytes");
		});
	}

	@Test
	void refusesANonPositiveLimit() {
		assertThatIllegalArgumentException().isThrownBy(() -> PublishBatches.plan(List.of(), 0))
			.withMessage("maxBytes must be positive, not 0");
	}

	static List<OutboundNotification> messages(int count, int bytes) {
		List<OutboundNotification> messages = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			messages.add(message("m-" + i, bytes));
		}
		return messages;
	}

	static OutboundNotification message(String id, long bytes) {
		return new OutboundNotification(id, id + "x".repeat((int) bytes - id.length()));
	}

}
