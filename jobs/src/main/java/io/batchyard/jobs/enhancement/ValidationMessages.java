package io.batchyard.jobs.enhancement;

/**
 * The texts of the validation report (DESTINY seed 003 / HEAD).
 */
public final class ValidationMessages {

	public static final String NOT_IN_BATCH = "Reference not in batch enhancement request.";

	public static final String DUPLICATE_REFERENCE = "Duplicate reference ID in enhancement result.";

	public static final String ADDED = "Enhancement added.";

	public static final String EXACT_DUPLICATE = "Exact duplicate enhancement already exists on reference.";

	public static final String MISSING = "Requested reference not in enhancement result.";

	private ValidationMessages() {
	}

}
