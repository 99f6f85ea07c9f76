package io.batchyard.jobs.imageingest;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Marks the batch processing when the ingest step starts (a cancelled batch stays
 * cancelled). What a stopped step leaves behind, images started ahead of the last chunk,
 * is discarded by the reader when it closes, after their fetches ended: a listener's
 * {@code afterStep} runs before the step closes its streams, while they are still in
 * flight.
 */
class ImageBatchStepListener implements StepExecutionListener {

	private final ImageBatches batches;

	ImageBatchStepListener(ImageBatches batches) {
		this.batches = batches;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.batches.started(
				stepExecution.getJobExecution().getJobParameters().getString(ImageIngestJobConfiguration.BATCH_ID));
	}

}
