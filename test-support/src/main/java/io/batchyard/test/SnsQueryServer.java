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
 * {@code PublishResponse} and {@code Action=PublishBatch} with a
 * {@code PublishBatchResponse} (refusing, as SNS does, more than 10 entries, repeated
 * entry ids or more than 256 KiB of messages in one call), records exactly the parameters
 * the client sent, and answers every other action with an SNS error document. Each
 * published batch entry is recorded as the parameters of the equivalent {@code Publish}
 * (its {@code TopicArn}, {@code Message}, {@code MessageAttributes...}), so a test reads
 * the messages the same way however they were sent. It can be told to fail the next calls
 * with a 500, to fail chosen batch entries, or to hold calls unanswered (a publish in
 * flight when its sender dies), to test faults. Loopback only; {@link #close()} stops it.
 */
public final class SnsQueryServer implements AutoCloseable {

	private final HttpServer server;

	private final List<Map<String, String>> published = new CopyOnWriteArrayList<>();

	private final AtomicInteger failuresToInject = new AtomicInteger();

	private final AtomicInteger successesBeforeOutage = new AtomicInteger(-1);

	private final AtomicInteger held = new AtomicInteger();

	private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

	private final Map<String, AtomicInteger> entryFailures = new java.util.concurrent.ConcurrentHashMap<>();

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

	/**
	 * The number of entries of every {@code PublishBatch} call answered with HTTP 200,
	 * failed entries included, in order of arrival.
	 */
	public List<Integer> batchSizes() {
		return new ArrayList<>(this.batchSizes);
	}

	public void clear() {
		release();
		this.published.clear();
		this.batchSizes.clear();
		this.entryFailures.clear();
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
	 * Accepts this many more messages, then answers every publish with HTTP 500 until
	 * {@link #recover()}: an outage that outlasts the client's retries. A
	 * {@code PublishBatch} that reaches the limit part way has its first entries accepted
	 * and the others failed ({@code InternalError}, not the sender's fault).
	 * @param successes messages still accepted
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
	 * Fails the next {@code PublishBatch} entries whose message contains a text, each as
	 * an entry of the {@code Failed} list ({@code InternalError}, not the sender's
	 * fault), while the call and its other entries succeed.
	 * @param messageFragment the text
	 * @param times how many such entries to fail
	 */
	public void failEntries(String messageFragment, int times) {
		this.entryFailures.put(messageFragment, new AtomicInteger(times));
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
			if (!"POST".equals(exchange.getRequestMethod()) || !List.of("Publish", "PublishBatch").contains(action)) {
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
			if (this.successesBeforeOutage.get() == 0
					|| this.failuresToInject.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
				respond(exchange, 500, error("InternalError", "Injected fault", "Receiver"));
				return;
			}
			if ("PublishBatch".equals(action)) {
				publishBatch(exchange, form);
				return;
			}
			if (form.get("TopicArn") == null || form.get("Message") == null) {
				respond(exchange, 400, error("InvalidParameter", "TopicArn and Message are required", "Sender"));
				return;
			}
			if (!acceptOne()) {
				respond(exchange, 500, error("InternalError", "Injected fault", "Receiver"));
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

	/** Whether one more message fits before the outage, counting it if so. */
	private boolean acceptOne() {
		return this.successesBeforeOutage.getAndUpdate((n) -> (n > 0) ? n - 1 : n) != 0;
	}

	private void publishBatch(HttpExchange exchange, Map<String, String> form) throws IOException {
		String topicArn = form.get("TopicArn");
		if (topicArn == null) {
			respond(exchange, 400, error("InvalidParameter", "TopicArn is required", "Sender"));
			return;
		}
		String prefix = "PublishBatchRequestEntries.member.";
		Map<Integer, Map<String, String>> entries = new java.util.TreeMap<>();
		for (Map.Entry<String, String> parameter : form.entrySet()) {
			if (!parameter.getKey().startsWith(prefix)) {
				continue;
			}
			String rest = parameter.getKey().substring(prefix.length());
			int dot = rest.indexOf('.');
			if (dot < 1) {
				respond(exchange, 400, error("InvalidParameter", "Bad parameter " + parameter.getKey(), "Sender"));
				return;
			}
			int member = Integer.parseInt(rest.substring(0, dot));
			entries.computeIfAbsent(member, (n) -> new LinkedHashMap<>())
				.put(rest.substring(dot + 1), parameter.getValue());
		}
		if (entries.isEmpty()) {
			respond(exchange, 400,
					error("EmptyBatchRequest", "The batch request doesn't contain any entries", "Sender"));
			return;
		}
		if (entries.size() > 10) {
			respond(exchange, 400, error("TooManyEntriesInBatchRequest",
					"The batch request contains more entries than permissible", "Sender"));
			return;
		}
		long bytes = 0;
		java.util.Set<String> ids = new java.util.HashSet<>();
		for (Map<String, String> entry : entries.values()) {
			if (entry.get("Id") == null || entry.get("Message") == null) {
				respond(exchange, 400, error("InvalidParameter", "Every entry needs an Id and a Message", "Sender"));
				return;
			}
			if (!ids.add(entry.get("Id"))) {
				respond(exchange, 400,
						error("BatchEntryIdsNotDistinct", "Two or more batch entries have the same Id", "Sender"));
				return;
			}
			bytes += size(entry);
		}
		if (bytes > 262_144) {
			respond(exchange, 400, error("BatchRequestTooLong",
					"The length of all the messages put together is more than the limit: " + bytes, "Sender"));
			return;
		}
		this.batchSizes.add(entries.size());
		StringBuilder successful = new StringBuilder();
		StringBuilder failed = new StringBuilder();
		for (Map<String, String> entry : entries.values()) {
			String id = escape(entry.get("Id"));
			if (failEntry(entry.get("Message")) || !acceptOne()) {
				failed.append("<member><Id>")
					.append(id)
					.append("</Id><Code>InternalError</Code><Message>Injected entry fault</Message>")
					.append("<SenderFault>false</SenderFault></member>");
				continue;
			}
			Map<String, String> publish = new LinkedHashMap<>();
			publish.put("Action", "PublishBatch");
			publish.put("TopicArn", topicArn);
			publish.putAll(entry);
			this.published.add(publish);
			successful.append("<member><Id>")
				.append(id)
				.append("</Id><MessageId>")
				.append(UUID.randomUUID())
				.append("</MessageId></member>");
		}
		respond(exchange, 200,
				"<PublishBatchResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishBatchResult>"
						+ "<Successful>" + successful + "</Successful><Failed>" + failed + "</Failed>"
						+ "</PublishBatchResult><ResponseMetadata><RequestId>" + UUID.randomUUID()
						+ "</RequestId></ResponseMetadata></PublishBatchResponse>");
	}

	private boolean failEntry(String message) {
		for (Map.Entry<String, AtomicInteger> failure : this.entryFailures.entrySet()) {
			if (message.contains(failure.getKey()) && failure.getValue().getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A message's size as SNS counts it: the message and each attribute's name, type and
	 * value, in UTF-8 bytes.
	 */
	private static long size(Map<String, String> entry) {
		long size = 0;
		for (Map.Entry<String, String> parameter : entry.entrySet()) {
			String name = parameter.getKey();
			if (name.equals("Message") || name.startsWith("MessageAttributes.")) {
				size += parameter.getValue().getBytes(StandardCharsets.UTF_8).length;
			}
		}
		return size;
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
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
