package io.batchyard.readers.sns;

import java.util.List;

/**
 * Some messages could not be published, even after retrying them.
 */
public class SnsPublishException extends RuntimeException {

	private final List<String> failedIds;

	public SnsPublishException(String message, List<String> failedIds) {
		super(message);
		this.failedIds = List.copyOf(failedIds);
	}

	/** The ids of the messages that were not published. */
	public List<String> getFailedIds() {
		return this.failedIds;
	}

}
