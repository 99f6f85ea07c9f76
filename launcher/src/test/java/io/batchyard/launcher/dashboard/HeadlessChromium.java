package io.batchyard.launcher.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.awaitility.Awaitility.await;

/**
 * Debian's headless Chromium driven through the DevTools protocol over the JDK's
 * WebSocket client: no WebDriver, no browser download. It accepts every {@code confirm()}
 * dialog and remembers its message.
 */
final class HeadlessChromium implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/**
	 * How long an evaluation may take: one sent while the page navigates (a reload the
	 * page's script starts) can be lost with the old document and is never answered.
	 */
	private static final Duration EVALUATE_TIMEOUT = Duration.ofSeconds(5);

	private final Process process;

	private final Path profile;

	private final WebSocket socket;

	private final AtomicLong ids = new AtomicLong();

	private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

	private final List<String> dialogs = new CopyOnWriteArrayList<>();

	/**
	 * The last send: a WebSocket takes one send at a time, and the listener thread
	 * answers dialogs while a command may still be sending.
	 */
	private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);

	private HeadlessChromium(Process process, Path profile, WebSocket.Builder socket, URI page) {
		this.process = process;
		this.profile = profile;
		this.socket = socket.buildAsync(page, new Listener()).join();
	}

	/**
	 * Where Chromium is installed, if it is.
	 * @return the executable
	 */
	static Optional<Path> find() {
		String configured = System.getenv("BATCHYARD_CHROMIUM");
		return Stream
			.of(configured, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
					"/usr/bin/google-chrome-stable")
			.filter((candidate) -> candidate != null && !candidate.isBlank())
			.map(Path::of)
			.filter(Files::isExecutable)
			.findFirst();
	}

	static HeadlessChromium start(Path executable, Path log) {
		try {
			Path profile = Files.createTempDirectory("batchyard-chromium");
			Files.createDirectories(log.getParent());
			List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
					"--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
					"--window-size=1400,1000", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
					"--user-data-dir=" + profile, "about:blank"));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			// Chromium writes the port it chose, and the browser's path, to this file.
			Path activePort = profile.resolve("DevToolsActivePort");
			await("Chromium's DevTools port (log: " + log + ")").atMost(TIMEOUT)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> Files.isRegularFile(activePort) && Files.readAllLines(activePort).size() >= 2);
			int port = Integer.parseInt(Files.readAllLines(activePort).get(0).trim());
			HttpClient http = HttpClient.newHttpClient();
			URI page = await("a page target").atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
				HttpResponse<String> targets = http.send(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
						HttpResponse.BodyHandlers.ofString());
				for (JsonNode target : JSON.readTree(targets.body())) {
					if ("page".equals(target.path("type").asString())) {
						return URI.create(target.path("webSocketDebuggerUrl").asString());
					}
				}
				return null;
			}, (uri) -> uri != null);
			HeadlessChromium chromium = new HeadlessChromium(process, profile, http.newWebSocketBuilder(), page);
			chromium.send("Page.enable", Map.of(), TIMEOUT);
			chromium.send("Runtime.enable", Map.of(), TIMEOUT);
			return chromium;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Opens a URL and waits for the page to load.
	 * @param url the URL
	 */
	void open(String url) {
		send("Page.navigate", Map.of("url", url), TIMEOUT);
		awaitLoaded();
	}

	void awaitLoaded() {
		await("page loaded").atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> "complete".equals(evaluate("document.readyState")));
	}

	/**
	 * Evaluates JavaScript in the page.
	 * @param expression the expression
	 * @return its value as a string (empty for undefined or null)
	 */
	String evaluate(String expression) {
		JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true),
				EVALUATE_TIMEOUT);
		JsonNode value = result.path("result").path("value");
		return (value.isMissingNode() || value.isNull()) ? "" : value.asString();
	}

	String path() {
		return evaluate("window.location.pathname + window.location.search");
	}

	/**
	 * Saves a PNG screenshot of the whole page.
	 * @param file where
	 */
	void screenshot(Path file) {
		JsonNode result = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true),
				TIMEOUT);
		try {
			Files.createDirectories(file.getParent());
			Files.write(file, Base64.getDecoder().decode(result.path("data").asString()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The messages of the dialogs accepted so far.
	 * @return them, oldest first
	 */
	List<String> dialogs() {
		return List.copyOf(this.dialogs);
	}

	private synchronized CompletableFuture<?> sendText(String text) {
		this.sends = this.sends.handle((result, failure) -> null)
			.thenCompose((ignored) -> this.socket.sendText(text, true));
		return this.sends;
	}

	private JsonNode send(String method, Map<String, Object> params, Duration timeout) {
		long id = this.ids.incrementAndGet();
		CompletableFuture<JsonNode> answer = new CompletableFuture<>();
		this.pending.put(id, answer);
		ObjectNode message = JSON.createObjectNode();
		message.put("id", id);
		message.put("method", method);
		message.set("params", JSON.valueToTree(params));
		sendText(JSON.writeValueAsString(message)).join();
		try {
			JsonNode response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (response.has("error")) {
				throw new IllegalStateException(method + " failed: " + response.path("error"));
			}
			return response.path("result");
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw (ex instanceof IllegalStateException ise) ? ise : new IllegalStateException(method + " failed", ex);
		}
		finally {
			this.pending.remove(id);
		}
	}

	private void receive(String text) {
		JsonNode message = JSON.readTree(text);
		if (message.has("id")) {
			CompletableFuture<JsonNode> answer = this.pending.get(message.path("id").asLong());
			if (answer != null) {
				answer.complete(message);
			}
		}
		else if ("Page.javascriptDialogOpening".equals(message.path("method").asString())) {
			this.dialogs.add(message.path("params").path("message").asString());
			// Answered without waiting: this is the socket's listener thread.
			ObjectNode accept = JSON.createObjectNode();
			accept.put("id", this.ids.incrementAndGet());
			accept.put("method", "Page.handleJavaScriptDialog");
			accept.set("params", JSON.createObjectNode().put("accept", true));
			sendText(JSON.writeValueAsString(accept));
		}
	}

	@Override
	public void close() {
		this.socket.abort();
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try (Stream<Path> files = Files.walk(this.profile)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory; the OS cleans it eventually
		}
	}

	private final class Listener implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				String message = this.text.toString();
				this.text.setLength(0);
				receive(message);
			}
			socket.request(1);
			return null;
		}

	}

}
