package io.batchyard.launcher.imagebatch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.jobs.imageingest.FileNames;
import io.batchyard.jobs.imageingest.ImageBatches;
import io.batchyard.jobs.imageingest.ImageBatches.ImageBatch;
import io.batchyard.jobs.imageingest.ImageIngestJobConfiguration;
import io.batchyard.launcher.imagebatch.ImageBatchStates.ImageBatchState;
import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;
import io.batchyard.readers.blob.BlobStore;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Submitting and cancelling image batches: rows first (base64 payloads to blob storage,
 * never into job parameters), then {@code imageIngestJob} through the launch service with
 * the batch id as its identifying parameter.
 */
class ImageBatchService {

	private static final Log logger = LogFactory.getLog(ImageBatchService.class);

	private final ImageBatches batches;

	private final ImageBatchStates states;

	private final BlobStore blobs;

	private final JobLaunchService launchService;

	private final JobRepository jobRepository;

	private final TransactionTemplate transaction;

	ImageBatchService(ImageBatches batches, ImageBatchStates states, BlobStore blobs, JobLaunchService launchService,
			JobRepository jobRepository, TransactionTemplate transaction) {
		this.batches = batches;
		this.states = states;
		this.blobs = blobs;
		this.launchService = launchService;
		this.jobRepository = jobRepository;
		this.transaction = transaction;
	}

	/**
	 * Stores a batch and launches its job.
	 * @param request the validated request
	 * @return the batch id and creation time
	 */
	Submitted submit(ImageBatchRequest request) {
		String id = UUID.randomUUID().toString();
		List<ImageBatches.NewImage> images = new ArrayList<>();
		List<String> payloads = new ArrayList<>();
		for (int i = 0; i < request.images().size(); i++) {
			ImageBatchRequest.Image image = request.images().get(i);
			String traceId = UUID.randomUUID().toString();
			boolean fromUrl = image.url() != null;
			String sourceKey = null;
			if (!fromUrl) {
				sourceKey = "image-batches/" + id + "/" + i + ".b64";
				this.blobs.write(sourceKey, image.base64().getBytes(StandardCharsets.UTF_8));
				payloads.add(sourceKey);
			}
			images.add(new ImageBatches.NewImage(i, FileNames.of(image.name(), fromUrl, i, traceId), image.url(),
					sourceKey, traceId, UUID.randomUUID().toString()));
		}
		Instant created = this.transaction.execute((status) -> this.batches.create(id, images));
		try {
			JobExecution execution = this.launchService.launch(new LaunchRequest(ImageIngestJobConfiguration.JOB_NAME,
					Map.of(ImageIngestJobConfiguration.BATCH_ID, id), LaunchRequest.Trigger.API));
			logger.info("Image batch " + id + " with " + images.size() + " image(s) launched as job="
					+ ImageIngestJobConfiguration.JOB_NAME + " execution=" + execution.getId());
		}
		catch (RuntimeException ex) {
			this.batches.delete(id);
			payloads.forEach(this.blobs::delete);
			throw ex;
		}
		return new Submitted(id, created, images.size());
	}

	/**
	 * Cancels a batch: marks it cancelled, which no image starts after (the job checks as
	 * each image starts), then stops its job, which ends after the chunk in flight;
	 * images not processed stay pending.
	 * @param id the batch id
	 * @return the batch now
	 */
	ImageBatchState cancel(String id) {
		ImageBatch batch = this.states.find(id).orElseThrow(() -> ImageBatchException.notFound(id)).batch();
		if (batch.ended()) {
			throw new ImageBatchException(HttpStatus.CONFLICT, "Job already " + batch.status() + ": " + id);
		}
		if (!this.batches.cancel(id)) {
			// It ended (or was cancelled) since it was read.
			ImageBatch now = this.batches.find(id).orElseThrow(() -> ImageBatchException.notFound(id));
			throw new ImageBatchException(HttpStatus.CONFLICT, "Job already " + now.status() + ": " + id);
		}
		JobExecution execution = this.jobRepository.getLastJobExecution(ImageIngestJobConfiguration.JOB_NAME,
				new JobParametersBuilder().addString(ImageIngestJobConfiguration.BATCH_ID, id).toJobParameters());
		if (execution != null && execution.isRunning()) {
			try {
				this.launchService.stop(execution.getId());
			}
			catch (LaunchRefusedException ex) {
				// It ended meanwhile: nothing left to stop.
				logger.info("Image batch " + id + ": job execution " + execution.getId() + " not stopped: "
						+ ex.getMessage());
			}
		}
		logger.info("Image batch " + id + " cancelled");
		return this.states.find(id).orElseThrow(() -> ImageBatchException.notFound(id));
	}

	record Submitted(String id, Instant createdAt, int images) {

	}

}
