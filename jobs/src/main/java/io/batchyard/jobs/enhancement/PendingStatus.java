package io.batchyard.jobs.enhancement;

import java.util.Locale;

/**
 * The status of a pending enhancement (DESTINY HEAD values, stored in lower case).
 * Batchyard does no indexing: an imported enhancement goes straight to
 * {@link #COMPLETED}.
 */
public enum PendingStatus {

	PENDING, PROCESSING, IMPORTING, INDEXING, INDEXING_FAILED, DISCARDED, COMPLETED, FAILED, EXPIRED;

	/**
	 * The stored value.
	 * @return the lower-case name
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static PendingStatus of(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

}
