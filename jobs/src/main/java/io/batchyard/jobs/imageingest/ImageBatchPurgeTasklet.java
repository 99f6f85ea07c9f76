package io.batchyard.jobs.imageingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.jobs.support.ReferenceTime;
import io.batchyard.readers.blob.BlobStore;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Deletes the image batches (their image rows cascade) that ended more than the retention
 * before the run's reference time, and any base64 payload they left. The stored images
 * stay: they belong to the pipeline downstream. One transaction: a run deletes at most
 * the batches of one retention period.
 */
class ImageBatchPurgeTasklet implements Tasklet {

	private static final Log logger = LogFactory.getLog(ImageBatchPurgeTasklet.class);

	private final ImageBatches batches;

	private final BlobStore blobs;

	private final Duration retention;

	ImageBatchPurgeTasklet(ImageBatches batches, BlobStore blobs, Duration retention) {
		this.batches = batches;
		this.blobs = blobs;
		this.retention = retention;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
		Map<String, Object> parameters = chunkContext.getStepContext().getJobParameters();
		Instant reference = new ReferenceTime(ImageIngestJobConfiguration.PURGE_JOB_NAME)
			.parse((String) parameters.get(ReferenceTime.AS_OF), (String) parameters.get(ReferenceTime.FIRE_TIME));
		Instant cutoff = reference.minus(this.retention);
		List<String> ended = this.batches.endedBefore(cutoff);
		for (String id : ended) {
			this.batches.sourceKeys(id).forEach(this.blobs::delete);
			this.batches.delete(id);
			contribution.incrementWriteCount(1);
		}
		String report = "Deleted " + ended.size() + " image batch(es) that ended before " + cutoff;
		contribution.setExitStatus(ExitStatus.COMPLETED.addExitDescription(report));
		logger.info(report);
		return RepeatStatus.FINISHED;
	}

}
