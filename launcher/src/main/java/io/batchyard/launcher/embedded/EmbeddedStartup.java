package io.batchyard.launcher.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * The embedded default's start-up work that needs no other bean once it has its clients:
 * starting the emulators and creating queues and tables on them. Each task runs on a
 * thread of its own as soon as what it needs is up, in parallel with the other tasks and
 * with the rest of the context refresh, instead of one after the other on the main
 * thread. The first lifecycle phase waits for all of them, so the web server, the queue
 * listeners and the schedules start only once every emulator answers and what is created
 * on it exists.
 * <p>
 * Each task is a start-up step {@value #STEP} tagged with its name (see
 * {@code /actuator/startup}), and the wait is {@value #AWAIT_STEP}.
 */
class EmbeddedStartup implements SmartLifecycle, DisposableBean {

	static final String STEP = "batchyard.embedded.start";

	static final String AWAIT_STEP = "batchyard.embedded.await";

	/** Before every other lifecycle: the web server and the listeners need the tasks. */
	static final int PHASE = Integer.MIN_VALUE;

	private static final Log logger = LogFactory.getLog(EmbeddedStartup.class);

	private final ApplicationStartup applicationStartup;

	private final ExecutorService executor;

	private final Map<String, CompletableFuture<Void>> tasks = new LinkedHashMap<>();

	private final Map<String, Duration> durations = new LinkedHashMap<>();

	private volatile boolean running;

	EmbeddedStartup(ApplicationStartup applicationStartup) {
		this.applicationStartup = applicationStartup;
		AtomicInteger threads = new AtomicInteger();
		this.executor = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "embedded-start-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Runs a task once the tasks it needs have completed.
	 * @param task names the task in logs, the start-up step and a failure
	 * @param work the work
	 * @param after the tasks it needs; if one fails, this one does not run
	 * @return the task's completion
	 */
	CompletableFuture<Void> submit(String task, Runnable work, List<CompletableFuture<Void>> after) {
		CompletableFuture<Void> future = CompletableFuture.allOf(after.toArray(CompletableFuture[]::new))
			.thenRunAsync(() -> run(task, work), this.executor);
		synchronized (this.tasks) {
			if (this.tasks.putIfAbsent(task, future) != null) {
				throw new IllegalStateException("Two embedded start-up tasks are named '" + task + "'");
			}
		}
		return future;
	}

	private void run(String task, Runnable work) {
		StartupStep step = this.applicationStartup.start(STEP).tag("task", task);
		long start = System.nanoTime();
		try {
			work.run();
		}
		catch (RuntimeException | Error ex) {
			step.tag("failure", String.valueOf(ex.getMessage()));
			throw ex;
		}
		finally {
			step.end();
		}
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		synchronized (this.durations) {
			this.durations.put(task, took);
		}
		logger.info(task + ": done in " + took.toMillis() + " ms");
	}

	/**
	 * Waits for every task submitted so far.
	 * @throws IllegalStateException naming the first task that failed
	 */
	void awaitAll() {
		List<Map.Entry<String, CompletableFuture<Void>>> submitted;
		synchronized (this.tasks) {
			submitted = new ArrayList<>(this.tasks.entrySet());
		}
		for (Map.Entry<String, CompletableFuture<Void>> task : submitted) {
			try {
				task.getValue().join();
			}
			catch (CompletionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				throw new IllegalStateException("Embedded default: " + task.getKey() + " failed: " + cause.getMessage(),
						cause);
			}
		}
	}

	@Override
	public void start() {
		StartupStep step = this.applicationStartup.start(AWAIT_STEP);
		long start = System.nanoTime();
		try {
			awaitAll();
		}
		finally {
			step.end();
		}
		boolean any;
		synchronized (this.tasks) {
			any = !this.tasks.isEmpty();
		}
		if (any) {
			logger.info("Embedded emulators ready; waited " + Duration.ofNanos(System.nanoTime() - start).toMillis()
					+ " ms for them after the context refresh (" + summary() + ", in parallel)");
		}
		this.running = true;
	}

	private String summary() {
		synchronized (this.durations) {
			List<String> parts = new ArrayList<>();
			this.durations.forEach((task, took) -> parts.add(task + " " + took.toMillis() + " ms"));
			return String.join(", ", parts);
		}
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
