package io.batchyard.launcher.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The embedded default's stand-in for SNS, which has no emulator: a minimal
 * Query-protocol endpoint on 127.0.0.1 that answers {@code Action=Publish} with a valid
 * {@code PublishResponse} and {@code Action=PublishBatch} (up to 10 entries) with a
 * {@code PublishBatchResponse} listing every entry as successful, logs every message
 * (logger {@code io.batchyard.launcher.embedded.EmbeddedSnsServer}) and keeps the last
 * 100 in memory. Nothing is delivered anywhere.
 */
public class EmbeddedSnsServer extends EmbeddedEmulator {

	private static final Log logger = LogFactory.getLog(EmbeddedSnsServer.class);

	private static final int KEPT = 100;

	private final int port;

	private final Deque<Map<String, String>> recent = new ArrayDeque<>();

	private HttpServer server;

	EmbeddedSnsServer(int port, EmbeddedStartup startup) {
		super(startup);
		this.port = port;
	}

	@Override
	String name() {
		return "SNS stand-in on 127.0.0.1:" + this.port;
	}

	@Override
	protected void start() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", this.port), 0);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the embedded SNS endpoint on 127.0.0.1:" + this.port
					+ "; is the port in use? Set batchyard.embedded.sns.port or disable it", ex);
		}
		this.server.createContext("/", this::handle);
		this.server.setExecutor(Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "embedded-sns");
			thread.setDaemon(true);
			return thread;
		}));
		this.server.start();
		logger.info("Embedded SNS endpoint (publish only, logged) listening on " + endpoint());
	}

	String endpoint() {
		return "http://127.0.0.1:" + this.port;
	}

	/** The last messages published, oldest first: their parameters as sent. */
	public synchronized List<Map<String, String>> recent() {
		return new ArrayList<>(this.recent);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			Map<String, String> form = new LinkedHashMap<>();
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			for (String pair : body.split("&")) {
				int eq = pair.indexOf('=');
				if (eq > 0) {
					form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
							URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
				}
			}
			if ("PublishBatch".equals(form.get("Action"))) {
				publishBatch(exchange, form);
				return;
			}
			if (!"Publish".equals(form.get("Action")) || form.get("Message") == null) {
				respond(exchange, 400, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>"
						+ "<Message>Only Publish and PublishBatch are supported</Message></Error></ErrorResponse>");
				return;
			}
			keep(form);
			respond(exchange, 200,
					"<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>"
							+ UUID.randomUUID() + "</MessageId></PublishResult><ResponseMetadata><RequestId>"
							+ UUID.randomUUID() + "</RequestId></ResponseMetadata></PublishResponse>");
		}
	}

	/**
	 * Keeps each entry as the parameters of the equivalent {@code Publish}, so
	 * {@link #recent()} reads the same however a message was sent.
	 */
	private void publishBatch(HttpExchange exchange, Map<String, String> form) throws IOException {
		String prefix = "PublishBatchRequestEntries.member.";
		Map<Integer, Map<String, String>> entries = new TreeMap<>();
		for (Map.Entry<String, String> parameter : form.entrySet()) {
			String name = parameter.getKey();
			int dot = name.indexOf('.', prefix.length());
			if (name.startsWith(prefix) && dot > prefix.length()) {
				try {
					int member = Integer.parseInt(name.substring(prefix.length(), dot));
					entries.computeIfAbsent(member, (n) -> new LinkedHashMap<>())
						.put(name.substring(dot + 1), parameter.getValue());
				}
				catch (NumberFormatException ex) {
					// not an entry parameter: ignored, as SNS would refuse it below
				}
			}
		}
		if (entries.isEmpty() || entries.size() > 10 || form.get("TopicArn") == null
				|| entries.values()
					.stream()
					.anyMatch((entry) -> entry.get("Id") == null || entry.get("Message") == null)) {
			respond(exchange, 400, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code>"
					+ "<Message>A TopicArn and 1 to 10 entries, each with an Id and a Message, are required</Message>"
					+ "</Error></ErrorResponse>");
			return;
		}
		StringBuilder successful = new StringBuilder();
		for (Map<String, String> entry : entries.values()) {
			Map<String, String> publish = new LinkedHashMap<>();
			publish.put("Action", "PublishBatch");
			publish.put("TopicArn", form.get("TopicArn"));
			publish.putAll(entry);
			keep(publish);
			successful.append("<member><Id>")
				.append(entry.get("Id").replace("&", "&amp;").replace("<", "&lt;"))
				.append("</Id><MessageId>")
				.append(UUID.randomUUID())
				.append("</MessageId></member>");
		}
		respond(exchange, 200,
				"<PublishBatchResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishBatchResult>"
						+ "<Successful>" + successful + "</Successful><Failed/></PublishBatchResult>"
						+ "<ResponseMetadata><RequestId>" + UUID.randomUUID()
						+ "</RequestId></ResponseMetadata></PublishBatchResponse>");
	}

	private void keep(Map<String, String> publish) {
		synchronized (this) {
			if (this.recent.size() == KEPT) {
				this.recent.removeFirst();
			}
			this.recent.addLast(publish);
		}
		logger.info("SNS publish to " + publish.get("TopicArn") + ": " + publish.get("Message"));
	}

	private static void respond(HttpExchange exchange, int status, String xml) throws IOException {
		byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/xml");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	protected void stop() {
		if (this.server != null) {
			this.server.stop(0);
			logger.info("Embedded SNS endpoint stopped");
		}
	}

}
