package io.batchyard.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server of images on 127.0.0.1 (the JDK's {@code HttpServer}): serves the
 * bytes registered for a path with their content type, after a configurable latency per
 * request, answers 404 for any other path, and counts the requests per path (what the
 * restart tests assert: no image fetched twice) and records when each arrived (what the
 * cancel tests assert: no fetch starts after the cancel answered).
 */
public final class ImageServer implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService threads = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "image-server");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, Served> served = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

	private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

	private volatile Duration latency = Duration.ZERO;

	private ImageServer(HttpServer server) {
		this.server = server;
	}

	/**
	 * Starts a server on a free loopback port.
	 * @return the running server
	 */
	public static ImageServer start() {
		try {
			HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
			ImageServer images = new ImageServer(http);
			http.createContext("/", images::handle);
			http.setExecutor(images.threads);
			http.start();
			return images;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Serves bytes at a path.
	 * @param path the path, starting with {@code /}
	 * @param contentType the content type
	 * @param body the bytes
	 * @return the URL
	 */
	public String serve(String path, String contentType, byte[] body) {
		this.served.put(path, new Served(contentType, body));
		return url(path);
	}

	/**
	 * Waits this long before answering each request.
	 * @param latency the latency
	 */
	public void latency(Duration latency) {
		this.latency = latency;
	}

	public String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	/**
	 * Requests received for a path so far (counted when they arrive).
	 * @param path the path
	 * @return the count
	 */
	public int requests(String path) {
		AtomicInteger count = this.requests.get(path);
		return (count != null) ? count.get() : 0;
	}

	public int totalRequests() {
		return this.requests.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	/**
	 * Every request so far, in the order they arrived.
	 * @return the arrivals
	 */
	public List<Arrival> arrivals() {
		return List.copyOf(this.arrivals);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			this.arrivals.add(new Arrival(path, System.nanoTime()));
			this.requests.computeIfAbsent(path, (key) -> new AtomicInteger()).incrementAndGet();
			if (!this.latency.isZero()) {
				LockSupport.parkNanos(this.latency.toNanos());
			}
			Served image = this.served.get(path);
			if (image == null) {
				exchange.sendResponseHeaders(404, -1);
				return;
			}
			exchange.getResponseHeaders().set("Content-Type", image.contentType());
			exchange.sendResponseHeaders(200, image.body().length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(image.body());
			}
		}
		catch (IOException ex) {
			// The client went away (a killed process): nothing to answer.
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.threads.shutdownNow();
		try {
			this.threads.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Served(String contentType, byte[] body) {

	}

	/**
	 * A request as it arrived.
	 *
	 * @param path its path
	 * @param nanoTime {@link System#nanoTime()} on arrival (the server runs in the test's
	 * JVM, so it compares with the test's own readings)
	 */
	public record Arrival(String path, long nanoTime) {

	}

}
