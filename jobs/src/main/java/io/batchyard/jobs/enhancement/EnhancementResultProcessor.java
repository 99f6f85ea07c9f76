package io.batchyard.jobs.enhancement;

import io.batchyard.readers.jsonl.JsonlLine;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Parses a result line; blank lines are filtered (they are no entry).
 */
public class EnhancementResultProcessor implements ItemProcessor<JsonlLine, ResultEntry> {

	private final EnhancementLineParser parser;

	public EnhancementResultProcessor(EnhancementLineParser parser) {
		this.parser = parser;
	}

	@Override
	public ResultEntry process(JsonlLine line) {
		return this.parser.parse(line);
	}

}
