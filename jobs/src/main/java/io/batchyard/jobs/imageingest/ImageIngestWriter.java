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
 * tells duplicates). An image the reader did not start (its batch was cancelled or the
 * execution is stopping) is left as it is: pending, nothing stored, read again by a
 * restart.
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
		int notStarted = 0;
		for (InFlightImage image : chunk) {
			// Wait for every image before failing, so none is still being stored.
			try {
				ImageOutcome outcome = image.outcome().join();
				if (outcome != null) {
					outcomes.add(outcome);
				}
				else {
					notStarted++;
				}
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
		if (chunk.isEmpty()) {
			return;
		}
		String batchId = chunk.getItems().get(0).image().batchId();
		List<OutboundMessage> stored = new ArrayList<>();
		int completed = 0;
		for (ImageOutcome outcome : outcomes) {
			if (this.batches.imageEnded(batchId, outcome) && outcome.completed()) {
				stored.add(this.messages.of(outcome.image(), this.queueUrl.get()));
				completed++;
			}
		}
		if (!outcomes.isEmpty()) {
			this.batches.touch(batchId);
		}
		if (!stored.isEmpty()) {
			this.sender.send(stored);
		}
		logger.info("Wrote " + outcomes.size() + " image(s) of batch " + batchId + ": " + completed + " stored, "
				+ (outcomes.size() - completed) + " failed or already recorded"
				+ ((notStarted > 0) ? "; " + notStarted + " not started (batch cancelled or execution stopping)" : ""));
	}

}
