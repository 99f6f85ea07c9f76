package io.batchyard.launcher.dashboard.home;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.launcher.dashboard.DashboardSupport;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The home page's running executions, pushed as server-sent events every
 * {@link #INTERVAL}: items read, written and skipped so far, the current step and the
 * time elapsed. One query per interval serves every open home page, whatever their
 * number, and none runs while no page is open. The page redraws itself when the set of
 * running executions changes (one started or ended).
 */
@Component
class RunningStream implements DisposableBean {

	static final Duration INTERVAL = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(RunningStream.class);

	private static final Duration TIMEOUT = Duration.ofHours(1);

	private final Attention attention;

	private final DashboardSupport support;

	private final List<SseEmitter> subscribers = new CopyOnWriteArrayList<>();

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "dashboard-running");
		thread.setDaemon(true);
		return thread;
	});

	RunningStream(Attention attention, DashboardSupport support) {
		this.attention = attention;
		this.support = support;
		this.timer.scheduleWithFixedDelay(this::push, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * One running execution's progress, as the page shows it.
	 *
	 * @param id the execution
	 * @param status its status
	 * @param step the step running now, or {@code null}
	 * @param read items read so far
	 * @param written items written so far
	 * @param skipped items skipped so far
	 * @param elapsed time since it started, formatted
	 */
	record Progress(long id, String status, String step, long read, long written, long skipped, String elapsed) {
	}

	/**
	 * The running executions (at most {@link Attention#LIMIT}), and whether there are
	 * more.
	 *
	 * @param executions their progress
	 * @param more whether more run than are listed
	 */
	record Snapshot(List<Progress> executions, boolean more) {
	}

	SseEmitter subscribe() {
		SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
		emitter.onCompletion(() -> this.subscribers.remove(emitter));
		emitter.onTimeout(() -> this.subscribers.remove(emitter));
		emitter.onError((ex) -> this.subscribers.remove(emitter));
		this.subscribers.add(emitter);
		send(emitter, snapshot());
		return emitter;
	}

	Snapshot snapshot() {
		List<Attention.Running> running = this.attention.running();
		List<Progress> progress = running.stream()
			.limit(Attention.LIMIT)
			.map((r) -> new Progress(r.id(), r.status(), r.currentStep(), r.read(), r.written(), r.skipped(),
					this.support.duration(r.startTime(), null)))
			.toList();
		return new Snapshot(progress, running.size() > Attention.LIMIT);
	}

	private void push() {
		if (this.subscribers.isEmpty()) {
			return;
		}
		try {
			Snapshot snapshot = snapshot();
			this.subscribers.forEach((emitter) -> send(emitter, snapshot));
		}
		catch (RuntimeException ex) {
			// The database is away for a moment: the pages keep their last figures.
			logger.debug("Running executions push failed", ex);
		}
	}

	private void send(SseEmitter emitter, Snapshot snapshot) {
		try {
			emitter.send(SseEmitter.event().name("running").data(snapshot, MediaType.APPLICATION_JSON));
		}
		catch (IOException | IllegalStateException ex) {
			// The page went away.
			this.subscribers.remove(emitter);
		}
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
		this.subscribers.forEach(SseEmitter::complete);
		this.subscribers.clear();
	}

}
