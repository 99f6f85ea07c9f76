package io.batchyard.jobs.imageingest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ImageReadAheadReader} on an H2 database with the image tables: how far ahead it
 * starts images, the position it keeps, and what closing it does to images read ahead.
 */
class ImageReadAheadReaderTests {

	private final ExecutorService executor = Executors.newFixedThreadPool(8);

	private final List<Integer> started = Collections.synchronizedList(new ArrayList<>());

	private final List<Integer> ended = Collections.synchronizedList(new ArrayList<>());

	private final Semaphore startedPermits = new Semaphore(0);

	private final List<Integer> discarded = Collections.synchronizedList(new ArrayList<>());

	/** Images the ingester refuses to start (as after a cancel). */
	private final Set<Integer> refused = ConcurrentHashMap.newKeySet();

	private volatile boolean stepStopped;

	private JdbcTemplate jdbc;

	private ImageBatches batches;

	private String batch;

	@BeforeEach
	void setUp() {
		DriverManagerDataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:read-ahead-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL");
		this.jdbc = new JdbcTemplate(dataSource);
		this.jdbc.execute("CREATE TABLE image_batches (id VARCHAR(36) PRIMARY KEY, status VARCHAR(20),"
				+ " total_images INT, created_at TIMESTAMP WITH TIME ZONE, updated_at TIMESTAMP WITH TIME ZONE,"
				+ " completed_at TIMESTAMP WITH TIME ZONE)");
		this.jdbc.execute("CREATE TABLE image_batch_images (batch_id VARCHAR(36), idx INT, original_filename"
				+ " VARCHAR(255), source_url VARCHAR(4000), source_key VARCHAR(1000), status VARCHAR(20), trace_id"
				+ " VARCHAR(36), group_id VARCHAR(36), processed_path VARCHAR(1000), start_time TIMESTAMP WITH TIME"
				+ " ZONE, end_time TIMESTAMP WITH TIME ZONE, error VARCHAR(4000), PRIMARY KEY (batch_id, idx))");
		this.batches = new ImageBatches(this.jdbc, Clock.systemUTC());
		this.batch = UUID.randomUUID().toString();
		List<ImageBatches.NewImage> images = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			images.add(new ImageBatches.NewImage(i, i + ".png", "http://127.0.0.1/" + i + ".png", null,
					UUID.randomUUID().toString(), "group"));
		}
		this.batches.create(this.batch, images);
	}

	@AfterEach
	void tearDown() {
		this.executor.shutdownNow();
	}

	private ImageReadAheadReader reader(int pageSize, int window, CountDownLatch gate) {
		return reader(pageSize, window, gate, this.executor);
	}

	/**
	 * Each image records its start, waits for the gate, records its end; a refused one
	 * does not start.
	 */
	private ImageReadAheadReader reader(int pageSize, int window, CountDownLatch gate, Executor executor) {
		return new ImageReadAheadReader(this.batches, this.batch, pageSize, window, (image) -> {
			if (this.refused.contains(image.index())) {
				return null;
			}
			this.started.add(image.index());
			this.startedPermits.release();
			try {
				gate.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.ended.add(image.index());
			return ImageOutcome.completed(image);
		}, executor, (image) -> this.discarded.add(image.index()), () -> this.stepStopped);
	}

	@Test
	void startsImagesUpToTheWindowAheadOfTheOneItReturnsAcrossPages() throws Exception {
		CountDownLatch gate = new CountDownLatch(1);
		ImageReadAheadReader reader = reader(3, 4, gate);
		reader.open(new ExecutionContext());

		InFlightImage first = reader.read();

		assertThat(first.image().index()).isZero();
		// Image 0 returned, 1-4 in flight: the window, over two pages of 3.
		awaitStarted(5);
		assertThat(this.started).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
		gate.countDown();
		List<Integer> read = new ArrayList<>(List.of(first.image().index()));
		for (InFlightImage image = reader.read(); image != null; image = reader.read()) {
			assertThat(image.outcome().get(10, TimeUnit.SECONDS).completed()).isTrue();
			read.add(image.image().index());
		}
		assertThat(read).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
		assertThat(this.started).hasSize(10);
		reader.close();
	}

	@Test
	void keepsTheIndexOfTheLastImageItReturnedAndResumesAfterIt() {
		CountDownLatch gate = new CountDownLatch(0);
		ImageReadAheadReader reader = reader(4, 4, gate);
		ExecutionContext context = new ExecutionContext();
		reader.open(context);
		List<InFlightImage> chunk = List.of(reader.read(), reader.read(), reader.read());
		// As the writer does before the chunk commits (and the position is saved): the
		// chunk's outcomes are known.
		chunk.forEach((image) -> image.outcome().join());
		reader.update(context);
		reader.close();
		assertThat(context.getInt(ImageReadAheadReader.LAST_INDEX)).isEqualTo(2);
		// Image 5 ended meanwhile (another execution recorded it): not read again.
		this.jdbc.update("UPDATE image_batch_images SET status = 'completed' WHERE idx = 5");

		ImageReadAheadReader restarted = reader(4, 2, gate);
		restarted.open(context);
		List<Integer> read = new ArrayList<>();
		for (InFlightImage image = restarted.read(); image != null; image = restarted.read()) {
			read.add(image.image().index());
		}
		restarted.close();

		assertThat(read).containsExactly(3, 4, 6, 7, 8, 9);
	}

	@Test
	void closingStartsNoImageReadAheadAndWaitsForThoseInFlight() throws Exception {
		CountDownLatch gate = new CountDownLatch(1);
		List<Runnable> queued = Collections.synchronizedList(new ArrayList<>());
		ImageReadAheadReader reader = reader(10, 5, gate, queued::add);
		reader.open(new ExecutionContext());
		InFlightImage first = reader.read();
		assertThat(first.image().index()).isZero();
		// Image 0 is the chunk's (the writer waits for it); 1-5 are read ahead. Image 1
		// starts, the others wait for a thread.
		assertThat(queued).hasSize(6);
		Thread running = new Thread(queued.get(1));
		running.start();
		awaitStarted(1);

		Thread closing = new Thread(reader::close);
		closing.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!reader.isClosed() && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		// The images read ahead get their turn on the executor only now: none starts.
		for (Runnable task : queued.subList(2, 6)) {
			task.run();
		}
		assertThat(closing.isAlive()).as("close waits for the image in flight").isTrue();
		gate.countDown();
		running.join(10_000);
		closing.join(10_000);

		assertThat(closing.isAlive()).isFalse();
		assertThat(this.started).containsExactly(1);
		assertThat(this.ended).containsExactly(1);
	}

	@Test
	void thePositionNeverPassesAnImageHandedToAChunkButNotStarted() throws Exception {
		CountDownLatch gate = new CountDownLatch(0);
		// Image 3 is handed to the second chunk after a cancel: not started, not
		// recorded.
		this.refused.add(3);
		ImageReadAheadReader reader = reader(10, 2, gate);
		ExecutionContext context = new ExecutionContext();
		reader.open(context);
		List<InFlightImage> chunks = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			chunks.add(reader.read());
		}
		for (InFlightImage image : chunks) {
			image.outcome().get(10, TimeUnit.SECONDS);
		}
		reader.update(context);
		assertThat(context.getInt(ImageReadAheadReader.LAST_INDEX)).isEqualTo(2);
		// Later chunks do not move it past image 3 either.
		reader.read().outcome().get(10, TimeUnit.SECONDS);
		reader.read().outcome().get(10, TimeUnit.SECONDS);
		reader.update(context);
		reader.close();
		assertThat(context.getInt(ImageReadAheadReader.LAST_INDEX)).isEqualTo(2);
		this.jdbc.update("UPDATE image_batch_images SET status = 'completed' WHERE idx IN (0, 1, 2, 4, 5)");

		this.refused.clear();
		ImageReadAheadReader restarted = reader(10, 2, gate);
		restarted.open(context);
		List<Integer> read = new ArrayList<>();
		for (InFlightImage image = restarted.read(); image != null; image = restarted.read()) {
			read.add(image.image().index());
		}
		restarted.close();

		assertThat(read).containsExactly(3, 6, 7, 8, 9);
	}

	@Test
	void afterAStopTheImagesStartedAheadAreDiscardedOnceTheirFetchesEnded() throws Exception {
		CountDownLatch gate = new CountDownLatch(1);
		this.refused.add(4);
		ImageReadAheadReader reader = reader(10, 4, gate);
		reader.open(new ExecutionContext());
		InFlightImage first = reader.read();
		// Image 0 for the chunk; 1, 2, 3 started ahead, 4 refused (the cancel came).
		awaitStarted(4);
		this.stepStopped = true;
		Thread closing = new Thread(reader::close);
		closing.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!reader.isClosed() && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(this.discarded).as("nothing discarded while its fetch is in flight").isEmpty();
		gate.countDown();
		closing.join(10_000);

		assertThat(closing.isAlive()).isFalse();
		assertThat(first.outcome().get(10, TimeUnit.SECONDS).completed()).isTrue();
		assertThat(this.discarded).containsExactlyInAnyOrder(1, 2, 3);
	}

	@Test
	void afterAFailureTheImagesStartedAheadAreKeptForTheRestart() throws Exception {
		CountDownLatch gate = new CountDownLatch(0);
		ImageReadAheadReader reader = reader(10, 3, gate);
		reader.open(new ExecutionContext());
		InFlightImage first = reader.read();
		awaitStarted(4);

		reader.close();

		first.outcome().get(10, TimeUnit.SECONDS);
		assertThat(this.discarded).isEmpty();
		assertThat(this.ended).containsExactlyInAnyOrder(0, 1, 2, 3);
	}

	private void awaitStarted(int count) throws InterruptedException {
		assertThat(this.startedPermits.tryAcquire(count, 10, TimeUnit.SECONDS)).as(count + " image(s) started")
			.isTrue();
		this.startedPermits.release(count);
	}

}
