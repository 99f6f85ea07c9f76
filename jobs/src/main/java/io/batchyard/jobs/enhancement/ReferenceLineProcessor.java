package io.batchyard.jobs.enhancement;

import io.batchyard.readers.jsonl.JsonlLine;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Parses a reference line: blank lines are filtered, invalid ones skipped (with
 * {@link InvalidReferenceLineException}, recorded with their line number).
 */
public class ReferenceLineProcessor implements ItemProcessor<JsonlLine, Reference> {

	private final EnhancementLineParser parser;

	public ReferenceLineProcessor(EnhancementLineParser parser) {
		this.parser = parser;
	}

	@Override
	public Reference process(JsonlLine line) {
		try {
			return this.parser.parseReference(line);
		}
		catch (EnhancementLineParser.Invalid ex) {
			throw new InvalidReferenceLineException(line.number(), ex.getMessage());
		}
	}

}
