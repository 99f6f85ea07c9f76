package io.batchyard.jobs.imageingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.readers.sqs.OutboundMessage;
import io.batchyard.readers.sqs.SqsBatchSender;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Writes a chunk of images the {@link ImageReadAheadReader} started ingesting (fetch,
 * check, store on the bounded executor): waits for all of them, then, in the chunk's
 * transaction, records each outcome on its row (once: a replayed chunk changes nothing)
 * and announces the stored images on the queue. The messages are sent last, so a failed
 * send rolls the rows back and a restart sends them again (at least once; the trace id
 * tells duplicates).
 */
public class ImageIngestWriter implements ItemWriter<InFlightImage> {

	private static final Log logger = LogFactory.getLog(ImageIngestWriter.class);

	private final ImageBatches batches;

	private final ImageUploadMessages messages;

	private final SqsBatchSender sender;

	private final Supplier<String> queueUrl;

	public ImageIngestWriter(ImageBatches batches, ImageUploadMessages messages, SqsBatchSender sender,
			Supplier<String> queueUrl) {
		this.batches = batches;
		this.messages = messages;
		this.sender = sender;
		this.queueUrl = queueUrl;
	}

	@Override
	public void write(Chunk<? extends InFlightImage> chunk) {
		List<ImageOutcome> outcomes = new ArrayList<>();
		RuntimeException failure = null;
		for (InFlightImage image : chunk) {
			// Wait for every image before failing, so none is still being stored.
			try {
				ImageOutcome outcome = image.outcome().join();
				if (outcome == null) {
					throw new IllegalStateException(image + " was not ingested: its reader was closed");
				}
				outcomes.add(outcome);
			}
			catch (CompletionException | CancellationException ex) {
				RuntimeException cause = (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
				if (failure == null) {
					failure = cause;
				}
				else {
					failure.addSuppressed(cause);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
		List<OutboundMessage> stored = new ArrayList<>();
		String batchId = null;
		int completed = 0;
		for (ImageOutcome outcome : outcomes) {
			batchId = outcome.image().batchId();
			if (this.batches.imageEnded(batchId, outcome) && outcome.completed()) {
				stored.add(this.messages.of(outcome.image(), this.queueUrl.get()));
				completed++;
			}
		}
		if (batchId != null) {
			this.batches.touch(batchId);
		}
		if (!stored.isEmpty()) {
			this.sender.send(stored);
		}
		logger.info("Wrote " + outcomes.size() + " image(s) of batch " + batchId + ": " + completed + " stored, "
				+ (outcomes.size() - completed) + " failed or already recorded");
	}

}
