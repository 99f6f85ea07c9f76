package io.batchyard.jobs.imageingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

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
 * On close (the step ends, fails or stops) images not started yet are not started and the
 * reader waits for those in flight, so no fetch outlives the step.
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

	private final Deque<ImageRow> page = new ArrayDeque<>();

	private final Deque<InFlightImage> inFlight = new ArrayDeque<>();

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
	 * @param ingester ingests one image (fetch, check, store)
	 * @param executor the bounded executor images are ingested on
	 */
	public ImageReadAheadReader(ImageBatches batches, String batchId, int pageSize, int window,
			Function<ImageRow, ImageOutcome> ingester, Executor executor) {
		if (pageSize < 1 || window < 1) {
			throw new IllegalArgumentException("pageSize and window must be positive");
		}
		this.batches = batches;
		this.batchId = batchId;
		this.pageSize = pageSize;
		this.window = window;
		this.ingester = ingester;
		this.executor = executor;
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.closed = false;
		this.page.clear();
		this.inFlight.clear();
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
		fill();
		return next;
	}

	@Override
	public void update(ExecutionContext executionContext) {
		executionContext.putInt(LAST_INDEX, this.lastReturned);
	}

	@Override
	public void close() {
		this.closed = true;
		List<CompletableFuture<ImageOutcome>> pending = new ArrayList<>();
		for (InFlightImage image : this.inFlight) {
			pending.add(image.outcome());
		}
		this.inFlight.clear();
		this.page.clear();
		int waited = 0;
		for (CompletableFuture<ImageOutcome> outcome : pending) {
			try {
				if (outcome.join() != null) {
					waited++;
				}
			}
			catch (CompletionException ex) {
				waited++;
			}
		}
		if (!pending.isEmpty()) {
			logger.info("Batch " + this.batchId + ": reader closed with " + pending.size() + " image(s) read ahead, "
					+ waited + " of them already started (not recorded: their rows are read again on a restart)");
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
