package io.batchyard.jobs.imageingest;

import java.nio.charset.StandardCharsets;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.blob.NoSuchBlobException;

/**
 * Ingests one image of one job execution: gets its bytes (download or base64), checks
 * they are a JPEG or PNG within the limits, and stores them at
 * {@code {trace_id}/{filename}}. An image left processing whose blob already exists was
 * stored by an earlier, interrupted run (a blob is written whole or not at all, and only
 * after its checks passed): it is not fetched again. A pending image cannot have a blob
 * ({@link ImageBatches#start}), so the store is not asked about it. Nothing starts once
 * the batch is cancelled or the execution is stopping ({@link ImageBatches#startImage}).
 * <p>
 * A rejected image is a failed outcome, never an exception; a failing blob store is an
 * exception, which fails the chunk so that a restart retries it.
 */
public class ImageIngester {

	private static final Log logger = LogFactory.getLog(ImageIngester.class);

	private final ImageDownloader downloader;

	private final ImageInspector inspector;

	private final BlobStore blobs;

	private final ImageBatches batches;

	private final long jobExecutionId;

	public ImageIngester(ImageDownloader downloader, ImageInspector inspector, BlobStore blobs, ImageBatches batches,
			long jobExecutionId) {
		this.downloader = downloader;
		this.inspector = inspector;
		this.blobs = blobs;
		this.batches = batches;
		this.jobExecutionId = jobExecutionId;
	}

	/**
	 * Ingests an image, unless its batch was cancelled or the execution is stopping.
	 * @param image the image
	 * @return its outcome, or {@code null} when it was not started
	 */
	public ImageOutcome ingest(ImageRow image) {
		ImageBatches.Start start = this.batches.start(image.batchId(), image.index(), this.jobExecutionId);
		if (start == ImageBatches.Start.NOT_STARTED) {
			logger.debug("Not started " + image + ": the batch was cancelled or execution " + this.jobExecutionId
					+ " is stopping");
			return null;
		}
		String key = image.processedPath();
		// Only an image left processing can have a blob: asking the store about every
		// image would cost one request per image (an S3 HEAD) for the few a crash left.
		if (start == ImageBatches.Start.AGAIN && this.blobs.exists(key)) {
			logger.info("Already stored " + image + " at " + key + " (interrupted run): not fetched again");
			return ImageOutcome.completed(image);
		}
		try {
			byte[] bytes = (image.sourceUrl() != null) ? this.downloader.download(image.sourceUrl())
					: Base64Payload.decode(payload(image));
			ImageInspector.ImageInfo info = this.inspector.inspect(bytes);
			this.blobs.write(key, bytes);
			logger.debug("Stored " + image + " at " + key + ": " + info.format() + " " + info.width() + "x"
					+ info.height() + ", " + bytes.length + " bytes");
			return ImageOutcome.completed(image);
		}
		catch (ImageRejectedException ex) {
			logger.info("Failed " + image + ": " + ex.getMessage());
			return ImageOutcome.failed(image, ex.getMessage());
		}
	}

	/**
	 * Discards an image that was started but whose outcome will never be recorded (read
	 * ahead of a step that stopped): its blob is deleted, then its row goes back to
	 * pending, so that an image shown pending never has a blob and a restart fetches it
	 * like any other. If the blob cannot be deleted the row stays processing (and a
	 * restart records the stored blob without fetching it again).
	 * @param image the image
	 * @return whether it went back to pending
	 */
	public boolean discard(ImageRow image) {
		String key = image.processedPath();
		try {
			this.blobs.delete(key);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not delete blob " + key + " of " + image + ", discarded after a stop; it stays"
					+ " processing and a restart records the stored image: " + ex.getMessage());
			return false;
		}
		return this.batches.imageDiscarded(image.batchId(), image.index());
	}

	private String payload(ImageRow image) throws ImageRejectedException {
		try {
			return new String(this.blobs.read(image.sourceKey()), StandardCharsets.US_ASCII);
		}
		catch (NoSuchBlobException ex) {
			throw new ImageRejectedException("Failed to get image data: the submitted base64 payload is gone");
		}
	}

}
