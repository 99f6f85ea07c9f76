package io.batchyard.jobs.imageingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.readers.sqs.OutboundMessage;
import io.batchyard.readers.sqs.SqsBatchSender;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Writes a chunk of images: fans them out over the bounded executor (fetch, check,
 * store), waits for all of them, then, in the chunk's transaction, records each outcome
 * on its row (once: a replayed chunk changes nothing) and announces the stored images on
 * the queue. The messages are sent last, so a failed send rolls the rows back and a
 * restart sends them again (at least once; the trace id tells duplicates).
 */
public class ImageIngestWriter implements ItemWriter<ImageRow> {

	private static final Log logger = LogFactory.getLog(ImageIngestWriter.class);

	private final ImageIngester ingester;

	private final Executor executor;

	private final ImageBatches batches;

	private final ImageUploadMessages messages;

	private final SqsBatchSender sender;

	private final Supplier<String> queueUrl;

	public ImageIngestWriter(ImageIngester ingester, Executor executor, ImageBatches batches,
			ImageUploadMessages messages, SqsBatchSender sender, Supplier<String> queueUrl) {
		this.ingester = ingester;
		this.executor = executor;
		this.batches = batches;
		this.messages = messages;
		this.sender = sender;
		this.queueUrl = queueUrl;
	}

	@Override
	public void write(Chunk<? extends ImageRow> chunk) {
		List<CompletableFuture<ImageOutcome>> futures = new ArrayList<>();
		for (ImageRow image : chunk) {
			futures.add(CompletableFuture.supplyAsync(() -> this.ingester.ingest(image), this.executor));
		}
		List<ImageOutcome> outcomes = new ArrayList<>();
		RuntimeException failure = null;
		for (CompletableFuture<ImageOutcome> future : futures) {
			// Wait for every image before failing, so none is still being stored.
			try {
				outcomes.add(future.join());
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
