package io.batchyard.jobs.postingest;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link StateChangeRules} on rows as maps: a row that waits is filtered whatever it
 * lacks that no rule needs; a rule that applies and cannot be carried out is an
 * {@link UnprocessableRowException} (a skip), the queue's own maximum message size
 * included.
 */
class StateChangeRulesTests {

	static final String CC_URL = "https://sqs.example/1/cc";

	static final String TC_URL = "https://sqs.example/1/tc";

	static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

	/** CC takes 1 KiB, TC the SQS default. */
	final StateChangeRules rules = new StateChangeRules(
			new QueueRoute(List.of(new PostingestProperties.Queue("CC", 1, CC_URL, null, null),
					new PostingestProperties.Queue("TC", 2, TC_URL, null, null)), "ingested_"),
			new PostingestMessages(JsonMapper.builder().build(), () -> new UUID(0, 1)),
			(url) -> url.equals(CC_URL) ? 1024 : 262_144);

	static PostingestRow row(String assetId, String... attributes) {
		Map<String, AttributeValue> item = new HashMap<>();
		item.put("assetId", AttributeValue.fromS(assetId));
		item.put("batchId", AttributeValue.fromS("B"));
		for (int i = 0; i < attributes.length; i += 2) {
			item.put(attributes[i], AttributeValue.fromS(attributes[i + 1]));
		}
		return PostingestRow.from(item);
	}

	@Test
	void aRowWaitingOnItsQueueWithoutInputOrConfirmationIsFilteredNotUnprocessable() {
		assertThat(this.rules.sweep(row("waiting", "queue", "CC", "lastQueued", "2026-11-01T00:00:00Z"), NOW)).isNull();
		assertThat(this.rules.sweep(row("waiting-tc", "queue", "TC"), NOW)).isNull();
	}

	@Test
	void aConfirmedRowWithoutInputStillMovesOnWithTheConfirmation() {
		Transition advance = this.rules.sweep(row("confirmed", "queue", "CC", "ingested_CC", "{\"a\":1}"), NOW);
		assertThat(advance.kind()).isEqualTo(Transition.Kind.ADVANCE);
		assertThat(advance.messageBody()).isEqualTo(
				"{\"assetId\":\"confirmed\",\"batchId\":\"B\",\"resultAttrName\":\"ingested_TC\",\"payload\":{\"a\":1}}");
		assertThat(this.rules.sweep(row("done", "queue", "TC", "ingested_TC", "{}"), NOW).kind())
			.isEqualTo(Transition.Kind.COMPLETE);
	}

	@Test
	void aNewRowWithoutInputIsUnprocessableItsRuleHasNothingToSend() {
		assertThatExceptionOfType(UnprocessableRowException.class).isThrownBy(() -> this.rules.sweep(row("new"), NOW))
			.withMessage("Row new/B has no 'input' attribute");
	}

	@Test
	void aStaleRowWithoutInputIsUnprocessableForTheResend() {
		assertThatExceptionOfType(UnprocessableRowException.class)
			.isThrownBy(() -> this.rules.resend(row("stale", "queue", "CC", "lastQueued", "2025-01-01T00:00:00Z")))
			.withMessage("Row stale/B has no 'input' attribute");
	}

	@Test
	void aMessageLargerThanItsQueuesMaximumMessageSizeIsUnprocessableWithTheSizes() {
		// {"assetId":"big","batchId":"B","resultAttrName":"ingested_CC","payload":"..."}
		// is 75 bytes around the input.
		String fits = "x".repeat(1024 - 75);
		assertThat(this.rules.sweep(row("big", "input", fits), NOW).messageBody()).hasSize(1024);
		assertThatExceptionOfType(UnprocessableRowException.class)
			.isThrownBy(() -> this.rules.sweep(row("big", "input", fits + "x"), NOW))
			.withMessage("Row big/B: queue CC cannot take it: the message would be 1025 bytes, over the queue's"
					+ " maximum message size of 1024 bytes");
		// TC takes the SQS default, so the same payload moves on to it.
		assertThat(this.rules.sweep(row("big", "queue", "CC", "ingested_CC", "\"" + fits + "x\""), NOW).kind())
			.isEqualTo(Transition.Kind.ADVANCE);
	}

}
