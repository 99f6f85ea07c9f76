package io.batchyard.jobs.imageingest;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Marks the batch processing when the ingest step starts, and when the step was stopped
 * (a cancel) puts images of the chunk that was rolled back back to pending: an image not
 * recorded as ended has not been processed.
 */
class ImageBatchStepListener implements StepExecutionListener {

	private static final Log logger = LogFactory.getLog(ImageBatchStepListener.class);

	private final ImageBatches batches;

	ImageBatchStepListener(ImageBatches batches) {
		this.batches = batches;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.batches.started(batchId(stepExecution));
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		if (stepExecution.getStatus() == BatchStatus.STOPPED) {
			String batchId = batchId(stepExecution);
			int reset = this.batches.resetProcessing(batchId);
			logger.info("Step " + stepExecution.getStepName() + " of batch " + batchId + " stopped after "
					+ stepExecution.getWriteCount() + " image(s); " + reset + " image(s) in flight back to pending");
		}
		return stepExecution.getExitStatus();
	}

	private static String batchId(StepExecution stepExecution) {
		return stepExecution.getJobExecution().getJobParameters().getString(ImageIngestJobConfiguration.BATCH_ID);
	}

}
