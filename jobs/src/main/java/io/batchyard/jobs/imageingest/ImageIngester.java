package io.batchyard.jobs.imageingest;

import java.nio.charset.StandardCharsets;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.blob.NoSuchBlobException;

/**
 * Ingests one image: gets its bytes (download or base64), checks they are a JPEG or PNG
 * within the limits, and stores them at {@code {trace_id}/{filename}}. An image whose
 * blob already exists was stored by an earlier, interrupted run (a blob is written whole
 * or not at all, and only after its checks passed): it is not fetched again.
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

	public ImageIngester(ImageDownloader downloader, ImageInspector inspector, BlobStore blobs, ImageBatches batches) {
		this.downloader = downloader;
		this.inspector = inspector;
		this.blobs = blobs;
		this.batches = batches;
	}

	/**
	 * Ingests an image.
	 * @param image the image
	 * @return its outcome
	 */
	public ImageOutcome ingest(ImageRow image) {
		String key = image.processedPath();
		if (this.blobs.exists(key)) {
			logger.info("Already stored " + image + " at " + key + " (interrupted run): not fetched again");
			return ImageOutcome.completed(image);
		}
		this.batches.imageStarted(image.batchId(), image.index());
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

	private String payload(ImageRow image) throws ImageRejectedException {
		try {
			return new String(this.blobs.read(image.sourceKey()), StandardCharsets.US_ASCII);
		}
		catch (NoSuchBlobException ex) {
			throw new ImageRejectedException("Failed to get image data: the submitted base64 payload is gone");
		}
	}

}
