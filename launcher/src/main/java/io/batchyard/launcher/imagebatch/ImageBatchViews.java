package io.batchyard.launcher.imagebatch;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.batchyard.jobs.imageingest.ImageBatches.ImageBatch;
import io.batchyard.jobs.imageingest.ImageBatches.ImageRecord;
import io.batchyard.launcher.imagebatch.ImageBatchStates.ImageBatchState;

/**
 * The JSON of the image batch API, field for field as the original service documented it.
 * Absent values are left out; times are ISO-8601 UTC to the second.
 */
final class ImageBatchViews {

	private ImageBatchViews() {
	}

	static String time(Instant instant) {
		return (instant != null) ? instant.truncatedTo(ChronoUnit.SECONDS).toString() : null;
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Created(@JsonProperty("job_id") String jobId, String status, @JsonProperty("created_at") String createdAt,
			String message) {

	}

	/**
	 * A batch. {@code error} (the seed's field for why something failed) is there only
	 * when the batch failed because its job execution ended unfinished.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Batch(@JsonProperty("job_id") String jobId, String status, @JsonProperty("total_images") int totalImages,
			int completed, int failed, double progress, String error, List<Image> images,
			@JsonProperty("created_at") String createdAt, @JsonProperty("updated_at") String updatedAt,
			@JsonProperty("completed_at") String completedAt) {

		static Batch of(ImageBatchState state) {
			ImageBatch batch = state.batch();
			return new Batch(batch.id(), batch.status(), batch.total(), batch.completed(), batch.failed(),
					batch.progress(), state.error(), state.images().stream().map(Image::of).toList(),
					time(batch.createdAt()), time(batch.updatedAt()), time(batch.completedAt()));
		}

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Image(int index, @JsonProperty("original_filename") String originalFilename, String status,
			@JsonProperty("trace_id") String traceId, @JsonProperty("processed_path") String processedPath,
			@JsonProperty("start_time") String startTime, @JsonProperty("end_time") String endTime, String error) {

		static Image of(ImageRecord image) {
			return new Image(image.index(), image.filename(), image.status(), image.traceId(), image.processedPath(),
					time(image.startTime()), time(image.endTime()), image.error());
		}

	}

	record BatchList(List<Batch> jobs, int total) {

	}

	/**
	 * A WebSocket message: {@code progress}, {@code image_complete} (with the image) or
	 * {@code job_complete}.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Update(String type, @JsonProperty("job_id") String jobId, String status, double progress, int completed,
			int failed, @JsonProperty("total_images") int totalImages, String error, Image image, String timestamp) {

		static Update of(String type, ImageBatchState state, ImageRecord image) {
			ImageBatch batch = state.batch();
			return new Update(type, batch.id(), batch.status(), batch.progress(), batch.completed(), batch.failed(),
					batch.total(), state.error(), (image != null) ? Image.of(image) : null, time(Instant.now()));
		}

	}

}
