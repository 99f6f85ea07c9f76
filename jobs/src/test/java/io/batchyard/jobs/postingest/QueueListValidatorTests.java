package io.batchyard.jobs.postingest;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class QueueListValidatorTests {

	static PostingestProperties.Queue queue(String alias, Integer order, String url) {
		return new PostingestProperties.Queue(alias, order, url, null, null);
	}

	@Test
	void acceptsTheSeedsList() {
		assertThatNoException().isThrownBy(() -> QueueListValidator
			.validate(List.of(queue("Scout", 2, "https://q/scout"), queue("CC", 1, "https://q/cc"))));
	}

	@Test
	void refusesNoQueues() {
		assertThatIllegalArgumentException().isThrownBy(() -> QueueListValidator.validate(List.of()))
			.withMessage("batchyard.jobs.postingest.queues: no queues are configured");
	}

	@Test
	void refusesAQueueWithoutAnOrder() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> QueueListValidator.validate(List.of(queue("CC", null, "https://q/cc"))))
			.withMessageContaining("queue [0] needs a queue-alias, a queue-order and a queue-url");
	}

	@Test
	void refusesAListWithoutOrderOne() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> QueueListValidator
				.validate(List.of(queue("CC", 2, "https://q/cc"), queue("TC", 3, "https://q/tc"))))
			.withMessageEndingWith("no queue has queue-order 1");
	}

	@Test
	void refusesDuplicateOrders() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> QueueListValidator
				.validate(List.of(queue("CC", 1, "https://q/cc"), queue("TC", 1, "https://q/tc"))))
			.withMessageEndingWith("duplicate queue-order 1");
	}

	@Test
	void refusesOrdersThatAreNotOneToN() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> QueueListValidator
				.validate(List.of(queue("CC", 1, "https://q/cc"), queue("TC", 3, "https://q/tc"))))
			.withMessageEndingWith("queue orders must be exactly 1..2, not [1, 3]");
	}

	@Test
	void refusesASharedAlias() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> QueueListValidator
				.validate(List.of(queue("CC", 1, "https://q/cc"), queue("CC", 2, "https://q/tc"))))
			.withMessageEndingWith("two queues share the queue-alias 'CC'; every value must be unique");
	}

	@Test
	void refusesASharedUrl() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> QueueListValidator
				.validate(List.of(queue("CC", 1, "https://q/same"), queue("TC", 2, "https://q/same"))))
			.withMessageEndingWith("two queues share the queue-url 'https://q/same'; every value must be unique");
	}

}
