package io.batchyard.bench.crash;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a loopback port in front of a server the application talks to (the
 * SQS emulator, S3Proxy): {@link #down()} closes every open connection and refuses new
 * ones until {@link #up()}, which is what a client sees when the endpoint is unreachable;
 * {@link #errors()} closes them too and answers every new request with an HTTP 500 until
 * {@link #up()}, which is what a client sees when the service fails.
 */
final class FaultProxy implements AutoCloseable {

	private final ServerSocket server;

	private final InetSocketAddress target;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private volatile boolean down;

	private volatile boolean errors;

	FaultProxy(int targetPort) {
		this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(this::accept, "fault-proxy-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	String endpoint() {
		return "http://127.0.0.1:" + this.server.getLocalPort();
	}

	void down() {
		this.down = true;
		for (Socket socket : this.open) {
			closeQuietly(socket);
		}
	}

	void up() {
		this.down = false;
		this.errors = false;
	}

	void errors() {
		this.errors = true;
		for (Socket socket : this.open) {
			closeQuietly(socket);
		}
	}

	private void accept() {
		while (!this.server.isClosed()) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			if (this.down) {
				closeQuietly(client);
				continue;
			}
			if (this.errors) {
				Socket failing = client;
				Thread thread = new Thread(() -> fail(failing), "fault-proxy-500");
				thread.setDaemon(true);
				thread.start();
				continue;
			}
			try {
				Socket upstream = new Socket(this.target.getAddress(), this.target.getPort());
				this.open.add(client);
				this.open.add(upstream);
				pipe(client, upstream);
				pipe(upstream, client);
			}
			catch (IOException ex) {
				closeQuietly(client);
			}
		}
	}

	/** Reads the request's head, answers 500 and closes the connection. */
	private static void fail(Socket client) {
		try (client) {
			client.setSoTimeout(5000);
			InputStream in = client.getInputStream();
			int matched = 0;
			byte[] end = { '\r', '\n', '\r', '\n' };
			int read;
			while (matched < end.length && (read = in.read()) >= 0) {
				matched = (read == end[matched]) ? matched + 1 : ((read == '\r') ? 1 : 0);
			}
			byte[] body = "<Error><Code>InternalError</Code><Message>crash campaign: the store fails</Message></Error>"
				.getBytes(java.nio.charset.StandardCharsets.UTF_8);
			OutputStream out = client.getOutputStream();
			out.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/xml\r\nContent-Length: "
					+ body.length + "\r\nConnection: close\r\n\r\n")
				.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
		}
		catch (IOException ex) {
			// the client gave up first
		}
	}

	private void pipe(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// either side closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.open.remove(from);
				this.open.remove(to);
			}
		}, "fault-proxy-pipe");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		down();
	}

}
