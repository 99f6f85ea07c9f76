package io.batchyard.jobs.postingest;

import java.time.Clock;
import java.util.Map;

import org.springframework.batch.infrastructure.item.ItemProcessor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The sweep's rules over a row read from the table: a change, or {@code null} (filtered)
 * for a row that waits on its queue.
 */
public class PostingestSweepProcessor implements ItemProcessor<Map<String, AttributeValue>, Transition> {

	private final StateChangeRules rules;

	private final Clock clock;

	public PostingestSweepProcessor(StateChangeRules rules, Clock clock) {
		this.rules = rules;
		this.clock = clock;
	}

	@Override
	public Transition process(Map<String, AttributeValue> item) {
		return this.rules.sweep(PostingestRow.from(item), this.clock.instant());
	}

}
