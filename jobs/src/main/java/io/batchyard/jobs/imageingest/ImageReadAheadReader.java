package io.batchyard.jobs.imageingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads a batch's images that have not ended, in index order, page by page, and starts
 * ingesting each as it reads it, up to {@code window} images ahead of the one it returns:
 * while a chunk's outcomes are recorded and committed, the next chunk's images are
 * already being fetched, so no chunk waits for a whole round of server latency on its
 * own. The position kept in the ExecutionContext is the index of the last image handed to
 * a chunk, so a restart resumes after the last committed chunk; an image started ahead
 * and stored by then is not fetched again (its blob exists) and the others are fetched
 * once.
 * <p>
 * An image is started only if its batch was not cancelled and its execution is not
 * stopping (the ingester answers {@code null} otherwise): the step notices a stop only at
 * its next chunk boundary, and images read ahead would otherwise keep starting until
 * then. The position never passes an image handed to a chunk but not started, so a
 * restart reads it again.
 * <p>
 * On close (the step ends, fails or stops) images not started yet are not started and the
 * reader waits for those in flight, so no fetch outlives the step. When the step stopped,
 * the images it started ahead are discarded (blob deleted, back to pending): their
 * outcomes will never be recorded, and an image shown pending must have nothing stored.
 * When it failed they are kept (rows processing, blobs stored), so that the restart
 * records a stored image without fetching it again.
 */
public class ImageReadAheadReader implements ItemStreamReader<InFlightImage> {

	static final String LAST_INDEX = "imageReadAhead.lastIndex";

	private static final Log logger = LogFactory.getLog(ImageReadAheadReader.class);

	private final ImageBatches batches;

	private final String batchId;

	private final int pageSize;

	private final int window;

	private final Function<ImageRow, ImageOutcome> ingester;

	private final Executor executor;

	private final Predicate<ImageRow> discarder;

	private final BooleanSupplier stepStopped;

	private final Deque<ImageRow> page = new ArrayDeque<>();

	private final Deque<InFlightImage> inFlight = new ArrayDeque<>();

	/** Handed to chunks since the last {@link #update}, not yet known to have started. */
	private final List<InFlightImage> handedOut = new ArrayList<>();

	/** The position may not pass this: the image after it was handed out unstarted. */
	private int resumeAfterAtMost = Integer.MAX_VALUE;

	private volatile boolean closed;

	private int lastRead = -1;

	private int lastReturned = -1;

	private boolean exhausted;

	/**
	 * Creates a reader.
	 * @param batches the batches
	 * @param batchId the batch to read
	 * @param pageSize how many rows a query reads
	 * @param window how many images may be in flight ahead of the chunk being read
	 * @param ingester ingests one image (fetch, check, store); {@code null} when it did
	 * not start it (the batch was cancelled or the execution is stopping)
	 * @param executor the bounded executor images are ingested on
	 * @param discarder discards an image started ahead whose outcome will not be recorded
	 * (deletes its blob, puts it back to pending); {@code true} if it is pending now
	 * @param stepStopped whether the step ended STOPPED (asked on close)
	 */
	public ImageReadAheadReader(ImageBatches batches, String batchId, int pageSize, int window,
			Function<ImageRow, ImageOutcome> ingester, Executor executor, Predicate<ImageRow> discarder,
			BooleanSupplier stepStopped) {
		if (pageSize < 1 || window < 1) {
			throw new IllegalArgumentException("pageSize and window must be positive");
		}
		this.batches = batches;
		this.batchId = batchId;
		this.pageSize = pageSize;
		this.window = window;
		this.ingester = ingester;
		this.executor = executor;
		this.discarder = discarder;
		this.stepStopped = stepStopped;
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.closed = false;
		this.page.clear();
		this.inFlight.clear();
		this.handedOut.clear();
		this.resumeAfterAtMost = Integer.MAX_VALUE;
		this.exhausted = false;
		this.lastReturned = executionContext.containsKey(LAST_INDEX) ? executionContext.getInt(LAST_INDEX) : -1;
		this.lastRead = this.lastReturned;
		if (this.lastReturned >= 0) {
			logger.info("Batch " + this.batchId + ": resuming after image " + this.lastReturned);
		}
	}

	@Override
	public InFlightImage read() {
		if (this.closed) {
			throw new ItemStreamException("Reader of batch " + this.batchId + " is closed");
		}
		fill();
		InFlightImage next = this.inFlight.poll();
		if (next == null) {
			return null;
		}
		this.lastReturned = next.image().index();
		this.handedOut.add(next);
		fill();
		return next;
	}

	/**
	 * Saves the position: the last image handed to a chunk, or the one before the first
	 * image handed out that was not started (or whose outcome is not known yet).
	 */
	@Override
	public void update(ExecutionContext executionContext) {
		int position = this.lastReturned;
		for (Iterator<InFlightImage> images = this.handedOut.iterator(); images.hasNext();) {
			InFlightImage image = images.next();
			CompletableFuture<ImageOutcome> outcome = image.outcome();
			if (!outcome.isDone()) {
				position = Math.min(position, image.image().index() - 1);
				continue;
			}
			if (!outcome.isCompletedExceptionally() && outcome.join() == null) {
				this.resumeAfterAtMost = Math.min(this.resumeAfterAtMost, image.image().index() - 1);
			}
			images.remove();
		}
		executionContext.putInt(LAST_INDEX, Math.min(position, this.resumeAfterAtMost));
	}

	@Override
	public void close() {
		this.closed = true;
		List<InFlightImage> ahead = List.copyOf(this.inFlight);
		this.inFlight.clear();
		this.page.clear();
		this.handedOut.clear();
		// Waits for every image in flight: none outlives the step.
		List<ImageRow> started = ahead.stream()
			.filter(ImageReadAheadReader::started)
			.map(InFlightImage::image)
			.toList();
		if (ahead.isEmpty()) {
			return;
		}
		if (!this.stepStopped.getAsBoolean()) {
			logger.info("Batch " + this.batchId + ": reader closed with " + ahead.size() + " image(s) read ahead, "
					+ started.size() + " of them started (not recorded: a restart records those stored without"
					+ " fetching them again and fetches the others)");
			return;
		}
		long discarded = started.stream().filter(this.discarder).count();
		logger.info("Batch " + this.batchId + ": step stopped with " + ahead.size() + " image(s) read ahead, "
				+ started.size() + " of them started; " + discarded + " discarded (blob deleted, back to pending)");
	}

	/** Waits for an image's outcome: whether it was started. */
	private static boolean started(InFlightImage image) {
		try {
			return image.outcome().join() != null;
		}
		catch (CompletionException | CancellationException ex) {
			return true;
		}
	}

	boolean isClosed() {
		return this.closed;
	}

	private void fill() {
		while (this.inFlight.size() < this.window) {
			ImageRow row = nextRow();
			if (row == null) {
				return;
			}
			this.inFlight.add(new InFlightImage(row, CompletableFuture.supplyAsync(() -> start(row), this.executor)));
		}
	}

	/**
	 * {@code null} once the reader is closed: an image read ahead is then not started.
	 */
	private ImageOutcome start(ImageRow row) {
		return this.closed ? null : this.ingester.apply(row);
	}

	private ImageRow nextRow() {
		if (this.page.isEmpty() && !this.exhausted) {
			List<ImageRow> rows = this.batches.unfinishedImages(this.batchId, this.lastRead, this.pageSize);
			this.page.addAll(rows);
			this.exhausted = rows.size() < this.pageSize;
		}
		ImageRow row = this.page.poll();
		if (row != null) {
			this.lastRead = row.index();
		}
		return row;
	}

}
