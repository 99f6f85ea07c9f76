package io.batchyard.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A minimal SNS endpoint speaking the Query protocol the AWS SDK uses ({@code POST /}
 * with a form body): it answers {@code Action=Publish} with a valid
 * {@code PublishResponse}, records exactly the parameters the client sent, and answers
 * every other action with an SNS error document. It can be told to fail the next
 * publishes with a 500, or to hold them unanswered (a publish in flight when its sender
 * dies), to test faults. Loopback only; {@link #close()} stops it.
 */
public final class SnsQueryServer implements AutoCloseable {

	private final HttpServer server;

	private final List<Map<String, String>> published = new CopyOnWriteArrayList<>();

	private final AtomicInteger failuresToInject = new AtomicInteger();

	private final AtomicInteger successesBeforeOutage = new AtomicInteger(-1);

	private final AtomicInteger held = new AtomicInteger();

	private volatile CountDownLatch gate;

	private SnsQueryServer(HttpServer server) {
		this.server = server;
	}

	/**
	 * Starts a server on a free loopback port.
	 * @return the started server
	 */
	public static SnsQueryServer start() {
		try {
			HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			SnsQueryServer sns = new SnsQueryServer(http);
			http.createContext("/", sns::handle);
			http.setExecutor(Executors.newFixedThreadPool(4, (runnable) -> {
				Thread thread = new Thread(runnable, "sns-query-server");
				thread.setDaemon(true);
				return thread;
			}));
			http.start();
			return sns;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the SNS endpoint", ex);
		}
	}

	/** The endpoint, {@code http://127.0.0.1:<port>}. */
	public String endpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** The parameters of every successful publish, in order. */
	public List<Map<String, String>> published() {
		return new ArrayList<>(this.published);
	}

	/** The {@code Message} of every successful publish, in order. */
	public List<String> messages() {
		return this.published.stream().map((request) -> request.get("Message")).toList();
	}

	public void clear() {
		release();
		this.published.clear();
		this.failuresToInject.set(0);
		this.successesBeforeOutage.set(-1);
		this.held.set(0);
	}

	/**
	 * Holds every publish from now on unanswered until {@link #release()}: the sender
	 * waits as for a slow or unreachable endpoint. A held publish is never recorded; when
	 * released it is answered with HTTP 500.
	 */
	public void hold() {
		this.gate = new CountDownLatch(1);
	}

	/** Answers the held publishes (HTTP 500) and holds no more. */
	public void release() {
		CountDownLatch released = this.gate;
		this.gate = null;
		if (released != null) {
			released.countDown();
		}
	}

	/** How many publishes were held since the last {@link #clear()}. */
	public int held() {
		return this.held.get();
	}

	/**
	 * Accepts this many more publishes, then answers every publish with HTTP 500 until
	 * {@link #recover()}: an outage that outlasts the client's retries.
	 * @param successes publishes still accepted
	 */
	public void outageAfter(int successes) {
		this.successesBeforeOutage.set(successes);
	}

	/** Ends an outage. */
	public void recover() {
		this.successesBeforeOutage.set(-1);
		this.failuresToInject.set(0);
	}

	/**
	 * Answers the next publishes with HTTP 500 (the SDK retries those).
	 * @param count how many
	 */
	public void failNext(int count) {
		this.failuresToInject.set(count);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			Map<String, String> form = parseForm(exchange.getRequestBody());
			String action = form.getOrDefault("Action", "");
			if (!"POST".equals(exchange.getRequestMethod()) || !"Publish".equals(action)) {
				respond(exchange, 400, error("InvalidAction", "Unsupported action '" + action + "'", "Sender"));
				return;
			}
			CountDownLatch holding = this.gate;
			if (holding != null) {
				this.held.incrementAndGet();
				try {
					holding.await(5, TimeUnit.MINUTES);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				respond(exchange, 500, error("InternalError", "Held, then refused", "Receiver"));
				return;
			}
			boolean outage = this.successesBeforeOutage.getAndUpdate((n) -> (n > 0) ? n - 1 : n) == 0;
			if (outage || this.failuresToInject.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
				respond(exchange, 500, error("InternalError", "Injected fault", "Receiver"));
				return;
			}
			if (form.get("TopicArn") == null || form.get("Message") == null) {
				respond(exchange, 400, error("InvalidParameter", "TopicArn and Message are required", "Sender"));
				return;
			}
			this.published.add(form);
			String messageId = UUID.randomUUID().toString();
			respond(exchange, 200,
					"<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
							+ "<PublishResult><MessageId>" + messageId + "</MessageId></PublishResult>"
							+ "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
							+ "</PublishResponse>");
		}
	}

	private static String error(String code, String message, String type) {
		return "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>" + type
				+ "</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error><RequestId>"
				+ UUID.randomUUID() + "</RequestId></ErrorResponse>";
	}

	private static void respond(HttpExchange exchange, int status, String xml) throws IOException {
		byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/xml");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	static Map<String, String> parseForm(InputStream body) throws IOException {
		String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
		Map<String, String> form = new LinkedHashMap<>();
		for (String pair : text.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String name = URLDecoder.decode((eq < 0) ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = (eq < 0) ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			form.put(name, value);
		}
		return form;
	}

	@Override
	public void close() {
		release();
		this.server.stop(0);
	}

}
