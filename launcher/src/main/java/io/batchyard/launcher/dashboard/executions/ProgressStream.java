package io.batchyard.launcher.dashboard.executions;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live progress of running executions, pushed to the execution page as server-sent events
 * once a second: each step's counts and items per second. One timer serves every open
 * page; a page's stream ends with a {@code done} event when its execution no longer runs,
 * and the page reloads to show the final state and the actions it now allows.
 */
@Component
class ProgressStream implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ProgressStream.class);

	private static final Duration TIMEOUT = Duration.ofHours(1);

	private final JdbcTemplate jdbc;

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "dashboard-progress");
		thread.setDaemon(true);
		return thread;
	});

	private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

	ProgressStream(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
		this.timer.scheduleWithFixedDelay(this::push, 1, 1, TimeUnit.SECONDS);
	}

	private record Subscription(long executionId, SseEmitter emitter) {
	}

	/**
	 * One step's progress.
	 *
	 * @param id the step execution
	 * @param name the step
	 * @param status its status
	 * @param read items read
	 * @param written items written
	 * @param skipped items skipped
	 * @param commits commits
	 * @param itemsPerSecond items read per second since the step started
	 */
	record StepProgress(long id, String name, String status, long read, long written, long skipped, long commits,
			double itemsPerSecond) {
	}

	/**
	 * An execution's progress.
	 *
	 * @param executionId the execution
	 * @param status its status
	 * @param running whether it (or one of its steps) still runs
	 * @param steps its steps
	 */
	record Progress(long executionId, String status, boolean running, List<StepProgress> steps) {
	}

	SseEmitter subscribe(long executionId) {
		SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
		Subscription subscription = new Subscription(executionId, emitter);
		emitter.onCompletion(() -> this.subscriptions.remove(subscription));
		emitter.onTimeout(() -> this.subscriptions.remove(subscription));
		emitter.onError((ex) -> this.subscriptions.remove(subscription));
		// The first event is sent before the timer can see the subscription: two threads
		// sending to an emitter the MVC has not initialised yet could lose an event, and
		// an
		// execution that ended already needs no subscription at all.
		Progress first = progress(executionId);
		send(subscription, first);
		if (first.running()) {
			this.subscriptions.add(subscription);
		}
		return emitter;
	}

	private void push() {
		try {
			for (Subscription subscription : this.subscriptions) {
				send(subscription, progress(subscription.executionId()));
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Progress push failed", ex);
		}
	}

	private void send(Subscription subscription, Progress progress) {
		try {
			subscription.emitter().send(SseEmitter.event().name("progress").data(progress, MediaType.APPLICATION_JSON));
			if (!progress.running()) {
				subscription.emitter().send(SseEmitter.event().name("done").data(progress.status()));
				subscription.emitter().complete();
				this.subscriptions.remove(subscription);
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The page went away.
			this.subscriptions.remove(subscription);
		}
	}

	Progress progress(long executionId) {
		List<String> status = this.jdbc.queryForList(
				"SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?", String.class, executionId);
		LocalDateTime now = LocalDateTime.now();
		List<StepProgress> steps = this.jdbc.query("SELECT STEP_EXECUTION_ID, STEP_NAME, STATUS, READ_COUNT,"
				+ " WRITE_COUNT, READ_SKIP_COUNT + PROCESS_SKIP_COUNT + WRITE_SKIP_COUNT, COMMIT_COUNT, START_TIME,"
				+ " END_TIME FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = ? ORDER BY STEP_EXECUTION_ID",
				(rs, row) -> {
					Timestamp start = rs.getTimestamp(8);
					Timestamp end = rs.getTimestamp(9);
					double seconds = (start != null)
							? Duration.between(start.toLocalDateTime(), (end != null) ? end.toLocalDateTime() : now)
								.toMillis() / 1000.0
							: 0;
					long read = rs.getLong(4);
					return new StepProgress(rs.getLong(1), rs.getString(2), rs.getString(3), read, rs.getLong(5),
							rs.getLong(6), rs.getLong(7), (seconds > 0) ? Math.round(read * 10 / seconds) / 10.0 : 0);
				}, executionId);
		String jobStatus = status.isEmpty() ? "UNKNOWN" : status.get(0);
		boolean running = Map.of("STARTING", 1, "STARTED", 1, "STOPPING", 1).containsKey(jobStatus) || steps.stream()
			.anyMatch((step) -> step.status().equals("STARTED") || step.status().equals("STARTING")
					|| step.status().equals("STOPPING"));
		return new Progress(executionId, jobStatus, running, steps);
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
		this.subscriptions.forEach((subscription) -> subscription.emitter().complete());
		this.subscriptions.clear();
	}

}
