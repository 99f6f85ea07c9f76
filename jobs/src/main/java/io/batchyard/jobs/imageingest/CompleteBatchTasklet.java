package io.batchyard.jobs.imageingest;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.readers.blob.BlobStore;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Ends the batch once every image ended: {@code failed} when all failed, otherwise
 * {@code completed}, with the counts taken from the image rows; then removes the
 * submitted base64 payloads, which nothing needs any more.
 */
class CompleteBatchTasklet implements Tasklet {

	private static final Log logger = LogFactory.getLog(CompleteBatchTasklet.class);

	private final ImageBatches batches;

	private final BlobStore blobs;

	private final String batchId;

	CompleteBatchTasklet(ImageBatches batches, BlobStore blobs, String batchId) {
		this.batches = batches;
		this.blobs = blobs;
		this.batchId = batchId;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		ImageBatches.ImageBatch batch = this.batches.finish(this.batchId)
			.orElseThrow(() -> new IllegalStateException("No image batch " + this.batchId));
		for (String key : this.batches.sourceKeys(this.batchId)) {
			this.blobs.delete(key);
		}
		String report = "Batch " + this.batchId + " " + batch.status() + ": " + batch.completed() + " completed, "
				+ batch.failed() + " failed of " + batch.total();
		contribution.setExitStatus(ExitStatus.COMPLETED.addExitDescription(report));
		logger.info(report);
		return RepeatStatus.FINISHED;
	}

}
