package io.batchyard.jobs.postingest;

import java.util.Map;

import org.springframework.batch.infrastructure.item.ItemProcessor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The resend rule over a stale row read from the index.
 */
public class PostingestResendProcessor implements ItemProcessor<Map<String, AttributeValue>, Transition> {

	private final StateChangeRules rules;

	public PostingestResendProcessor(StateChangeRules rules) {
		this.rules = rules;
	}

	@Override
	public Transition process(Map<String, AttributeValue> item) {
		return this.rules.resend(PostingestRow.from(item));
	}

}
