package io.batchyard.launcher.imagebatch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.batchyard.jobs.imageingest.ImageBatches;
import io.batchyard.jobs.imageingest.ImageBatches.ImageBatch;
import io.batchyard.jobs.imageingest.ImageBatches.ImageRecord;
import io.batchyard.jobs.imageingest.ImageIngestJobConfiguration;
import io.batchyard.launcher.launch.ExecutionFate;
import io.batchyard.launcher.launch.JobLaunchService;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Image batches as the API, its WebSocket and the dashboard show them: the batch's row
 * (what its job and the cancel wrote) and, while the row says {@code pending} or
 * {@code processing}, the fate of the batch's last job execution. The row alone cannot
 * follow an execution that ended without the job ending the batch (its node died and it
 * was recovered, a step failed, it was stopped or abandoned): such a batch is shown
 * {@code failed} with the reason as its {@code error}, and each image not ended
 * {@code failed} with it. The rows stay as they are, so an operator's restart resumes
 * where the execution stopped and the batch shows {@code processing} again.
 */
public class ImageBatchStates {

	private final ImageBatches batches;

	private final JobRepository jobRepository;

	private final JobLaunchService launchService;

	public ImageBatchStates(ImageBatches batches, JobRepository jobRepository, JobLaunchService launchService) {
		this.batches = batches;
		this.jobRepository = jobRepository;
		this.launchService = launchService;
	}

	/**
	 * A batch with its images.
	 * @param id the batch id
	 * @return the batch as shown, or empty when there is none
	 */
	public Optional<ImageBatchState> find(String id) {
		return this.batches.find(id).map((batch) -> state(batch, this.batches.images(id)));
	}

	/**
	 * Every batch with its images, newest first.
	 * @return the batches as shown
	 */
	public List<ImageBatchState> list() {
		Map<String, List<ImageRecord>> images = this.batches.allImages();
		return this.batches.list()
			.stream()
			.map((batch) -> state(batch, images.getOrDefault(batch.id(), List.of())))
			.toList();
	}

	/**
	 * Every batch without its images, newest first.
	 * @return the batches as shown
	 */
	public List<ImageBatchState> listWithoutImages() {
		return this.batches.list().stream().map((batch) -> state(batch, List.of())).toList();
	}

	private ImageBatchState state(ImageBatch batch, List<ImageRecord> images) {
		if (batch.ended()) {
			// The job or the cancel ended it: final, whatever its execution does.
			return new ImageBatchState(batch, images, null);
		}
		JobExecution last = this.jobRepository.getLastJobExecution(ImageIngestJobConfiguration.JOB_NAME,
				new JobParametersBuilder().addString(ImageIngestJobConfiguration.BATCH_ID, batch.id())
					.toJobParameters());
		return derive(batch, images, (last != null) ? this.launchService.fate(last) : null);
	}

	/**
	 * The one place a batch's status is derived: from its row and its execution's fate.
	 * @param batch the batch's row
	 * @param images its image rows
	 * @param fate the fate of its last execution, {@code null} when it has none yet
	 * @return the batch as shown
	 */
	static ImageBatchState derive(ImageBatch batch, List<ImageRecord> images, ExecutionFate fate) {
		if (batch.ended() || fate == null || !fate.endedUnfinished()) {
			return new ImageBatchState(batch, images, null);
		}
		Instant endedAt = (fate.endedAt() != null) ? fate.endedAt() : batch.updatedAt();
		Instant updatedAt = (batch.updatedAt() == null || endedAt.isAfter(batch.updatedAt())) ? endedAt
				: batch.updatedAt();
		ImageBatch failed = new ImageBatch(batch.id(), ImageBatches.FAILED, batch.total(), batch.completed(),
				batch.total() - batch.completed(), batch.createdAt(), updatedAt, endedAt);
		String imageError = "Not processed: " + fate.reason();
		List<ImageRecord> shown = images.stream()
			.map((image) -> image.ended() ? image
					: new ImageRecord(image.index(), image.filename(), ImageBatches.FAILED, image.traceId(), null,
							image.startTime(), null, imageError))
			.toList();
		return new ImageBatchState(failed, shown, "Batch processing stopped: " + fate.reason());
	}

	/**
	 * An image batch as shown.
	 *
	 * @param batch the batch, with its status and counts as shown
	 * @param images its images as shown (none when listed without them)
	 * @param error why the batch failed when its execution ended unfinished, else
	 * {@code null}
	 */
	public record ImageBatchState(ImageBatch batch, List<ImageRecord> images, String error) {

	}

}
