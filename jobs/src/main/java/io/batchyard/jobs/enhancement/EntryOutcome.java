package io.batchyard.jobs.enhancement;

import java.util.Locale;

/**
 * What a validation entry says about its line (stored in lower case).
 */
public enum EntryOutcome {

	PARSE_FAILURE, NOT_IN_BATCH, DUPLICATE, ROBOT_ERROR, ADDED, DISCARDED, MISSING;

	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
