package io.batchyard.launcher.imagebatch;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import io.batchyard.jobs.imageingest.ImageBatches.ImageBatch;
import io.batchyard.jobs.imageingest.ImageBatches.ImageRecord;
import io.batchyard.launcher.imagebatch.ImageBatchStates.ImageBatchState;
import io.batchyard.launcher.imagebatch.ImageBatchViews.Update;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * {@code WS /api/v1/batch/{job_id}/ws}: a subscriber first gets the batch's current state
 * ({@code progress}, and {@code job_complete} when it already ended), then an
 * {@code image_complete} for every image that ends, a {@code progress} whenever the
 * counts or the status change, and a {@code job_complete} when the batch ends. Progress
 * is read from the database, not pushed by the job: the node that serves a subscriber
 * need not be the one that runs the job.
 * <p>
 * As in the original service, the server never hangs up on a client that is still there:
 * after {@code job_complete} it sends no more progress, but keeps the connection open,
 * answering pings, until the client closes it or nothing (pong or message) arrived for
 * the idle timeout. The server pings every subscriber. A text {@code ping} is answered
 * with {@code {"type":"pong"}}.
 */
class ImageBatchProgressHandler extends TextWebSocketHandler implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ImageBatchProgressHandler.class);

	private static final String BATCH = "batchId";

	private static final String WS_SUFFIX = "/ws";

	private final ImageBatchStates states;

	private final ImageBatchApiProperties.WebSocket settings;

	private final JsonMapper json = JsonMapper.shared();

	private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "image-batch-ws");
		thread.setDaemon(true);
		return thread;
	});

	ImageBatchProgressHandler(ImageBatchStates states, ImageBatchApiProperties.WebSocket settings) {
		this.states = states;
		this.settings = settings;
		long poll = settings.pollInterval().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::pollAll, poll, poll, TimeUnit.MILLISECONDS);
		long ping = settings.pingInterval().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::pingAll, ping, ping, TimeUnit.MILLISECONDS);
	}

	/**
	 * Answers 404 to a handshake for a batch that does not exist.
	 * @return the interceptor
	 */
	HandshakeInterceptor knownBatchesOnly() {
		return new HandshakeInterceptor() {

			@Override
			public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
					WebSocketHandler wsHandler, Map<String, Object> attributes) {
				String id = batchId(request.getURI());
				if (id == null || !ImageBatchController.isUuid(id)
						|| ImageBatchProgressHandler.this.states.find(id).isEmpty()) {
					response.setStatusCode(HttpStatus.NOT_FOUND);
					return false;
				}
				attributes.put(BATCH, id);
				return true;
			}

			@Override
			public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
					WebSocketHandler wsHandler, Exception exception) {
			}

		};
	}

	static String batchId(URI uri) {
		String path = uri.getPath();
		if (path == null || !path.endsWith(WS_SUFFIX)) {
			return null;
		}
		String rest = path.substring(0, path.length() - WS_SUFFIX.length());
		return rest.substring(rest.lastIndexOf('/') + 1);
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		String id = (String) session.getAttributes().get(BATCH);
		Subscriber subscriber = new Subscriber(id,
				new ConcurrentWebSocketSessionDecorator(session, 10_000, 1024 * 1024));
		logger.debug("WebSocket " + session.getId() + " subscribed to image batch " + id);
		// The current state first, before the client's first message is handled (the
		// container dispatches none until this returns) and before any poll sees the
		// subscriber; from then on, changes.
		update(subscriber, snapshot(id), true);
		this.subscribers.put(session.getId(), subscriber);
		if (!session.isOpen()) {
			// Closed meanwhile: afterConnectionClosed ran before the put.
			this.subscribers.remove(session.getId());
		}
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
		Subscriber subscriber = this.subscribers.get(session.getId());
		if (subscriber == null) {
			return;
		}
		subscriber.touch();
		String text = message.getPayload().trim();
		if (text.equalsIgnoreCase("ping") || text.replace(" ", "").equals("{\"type\":\"ping\"}")) {
			subscriber.send(this.json.writeValueAsString(
					Map.of("type", "pong", "timestamp", ImageBatchViews.time(java.time.Instant.now()))));
		}
	}

	@Override
	protected void handlePongMessage(WebSocketSession session, PongMessage message) {
		Subscriber subscriber = this.subscribers.get(session.getId());
		if (subscriber != null) {
			subscriber.touch();
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.subscribers.remove(session.getId());
	}

	/**
	 * One poll: each batch someone follows is read once, however many subscribers it has.
	 */
	private void pollAll() {
		Map<String, List<Subscriber>> byBatch = new LinkedHashMap<>();
		for (Subscriber subscriber : List.copyOf(this.subscribers.values())) {
			if (subscriber.idleFor() > this.settings.idleTimeout().toMillis()) {
				logger.debug("Closing idle WebSocket of image batch " + subscriber.batchId);
				subscriber.close(new CloseStatus(CloseStatus.NORMAL.getCode(),
						"Inactive for " + Duration.ofMillis(subscriber.idleFor()).toSeconds() + " s"));
				continue;
			}
			if (subscriber.done) {
				// Got job_complete: nothing more to read for it, only pings to answer.
				continue;
			}
			byBatch.computeIfAbsent(subscriber.batchId, (id) -> new ArrayList<>()).add(subscriber);
		}
		byBatch.forEach((batchId, followers) -> {
			Optional<ImageBatchState> snapshot;
			try {
				snapshot = snapshot(batchId);
			}
			catch (RuntimeException ex) {
				logger.warn("Progress of image batch " + batchId + " not sent: " + ex.getMessage());
				return;
			}
			for (Subscriber subscriber : followers) {
				try {
					update(subscriber, snapshot, false);
				}
				catch (RuntimeException ex) {
					logger.warn("Progress of image batch " + batchId + " not sent: " + ex.getMessage());
				}
			}
		});
	}

	/** The batch and its images as they are shown now; empty when the batch is gone. */
	private Optional<ImageBatchState> snapshot(String batchId) {
		return this.states.find(batchId);
	}

	private void update(Subscriber subscriber, Optional<ImageBatchState> snapshot, boolean first) {
		if (snapshot.isEmpty()) {
			subscriber.close(CloseStatus.GOING_AWAY);
			return;
		}
		ImageBatchState shown = snapshot.get();
		ImageBatch batch = shown.batch();
		String state = batch.status() + "/" + batch.completed() + "/" + batch.failed();
		synchronized (subscriber) {
			if (subscriber.done) {
				return;
			}
			if (first) {
				shown.images()
					.stream()
					.filter(ImageRecord::ended)
					.forEach((image) -> subscriber.ended.add(image.index()));
				subscriber.send(update("progress", shown, null));
			}
			else {
				for (ImageRecord image : shown.images()) {
					if (image.ended() && subscriber.ended.add(image.index())) {
						subscriber.send(update("image_complete", shown, image));
					}
				}
				if (!state.equals(subscriber.lastState)) {
					subscriber.send(update("progress", shown, null));
				}
			}
			subscriber.lastState = state;
			if (batch.ended()) {
				// The connection stays: the client leaves, or the idle timeout closes it.
				subscriber.send(update("job_complete", shown, null));
				subscriber.done = true;
			}
		}
	}

	private String update(String type, ImageBatchState state, ImageRecord image) {
		return this.json.writeValueAsString(Update.of(type, state, image));
	}

	private void pingAll() {
		for (Subscriber subscriber : List.copyOf(this.subscribers.values())) {
			try {
				subscriber.session.sendMessage(new PingMessage(ByteBuffer.wrap(new byte[] { 'b', 'y' })));
			}
			catch (IOException | RuntimeException ex) {
				subscriber.close(CloseStatus.SESSION_NOT_RELIABLE);
			}
		}
	}

	int subscriberCount() {
		return this.subscribers.size();
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
		for (Subscriber subscriber : List.copyOf(this.subscribers.values())) {
			subscriber.close(CloseStatus.GOING_AWAY);
		}
	}

	private static final class Subscriber {

		private final String batchId;

		private final WebSocketSession session;

		private final Set<Integer> ended = new HashSet<>();

		private String lastState;

		/** Got {@code job_complete}: no more reads, only pings (set under its lock). */
		private volatile boolean done;

		private volatile long lastActivity = System.nanoTime();

		private Subscriber(String batchId, WebSocketSession session) {
			this.batchId = batchId;
			this.session = session;
		}

		void touch() {
			this.lastActivity = System.nanoTime();
		}

		long idleFor() {
			return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.lastActivity);
		}

		void send(String text) {
			try {
				if (this.session.isOpen()) {
					this.session.sendMessage(new TextMessage(text));
				}
			}
			catch (IOException ex) {
				close(CloseStatus.SESSION_NOT_RELIABLE);
			}
		}

		void close(CloseStatus status) {
			try {
				this.session.close(status);
			}
			catch (IOException ex) {
				// closed already
			}
		}

	}

}
