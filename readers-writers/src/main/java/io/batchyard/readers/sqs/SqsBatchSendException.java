package io.batchyard.readers.sqs;

import java.util.List;

/**
 * Some messages could not be sent, even after retrying them.
 */
public class SqsBatchSendException extends RuntimeException {

	private final List<String> failedIds;

	public SqsBatchSendException(String message, List<String> failedIds) {
		super(message);
		this.failedIds = List.copyOf(failedIds);
	}

	/** The ids of the messages that were not sent. */
	public List<String> getFailedIds() {
		return this.failedIds;
	}

}
