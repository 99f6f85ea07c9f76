package io.batchyard.jobs.enhancement;

import java.util.UUID;

/**
 * Blob names of a robot enhancement batch (DESTINY HEAD).
 */
public final class BlobKeys {

	private BlobKeys() {
	}

	public static String referenceData(UUID batchId) {
		return "robot_enhancement_batch_reference_data/" + batchId + ".jsonl";
	}

	public static String robotResult(UUID batchId) {
		return "robot_enhancement_batch_result_data/" + batchId + "_robot.jsonl";
	}

	public static String validationResult(UUID batchId) {
		return "enhancement_result/" + batchId + "_repo.jsonl";
	}

}
