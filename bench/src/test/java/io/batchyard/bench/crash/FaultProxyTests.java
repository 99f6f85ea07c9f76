package io.batchyard.bench.crash;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FaultProxyTests {

	private HttpServer server;

	private FaultProxy proxy;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", (exchange) -> {
			byte[] body = "stored".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.start();
		this.proxy = new FaultProxy(this.server.getAddress().getPort());
	}

	@AfterEach
	void stop() {
		this.proxy.close();
		this.server.stop(0);
	}

	/** A new client each time: no pooled connection from before the fault. */
	private HttpResponse<String> put() throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.proxy.endpoint() + "/bucket/key"))
				.PUT(HttpRequest.BodyPublishers.ofString("bytes"))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void forwardsAnswersFiveHundredWhileFailingAndForwardsAgainOnceUp() throws Exception {
		assertThat(put().body()).isEqualTo("stored");

		this.proxy.errors();
		HttpResponse<String> failed = put();
		assertThat(failed.statusCode()).isEqualTo(500);
		assertThat(failed.body()).contains("<Code>InternalError</Code>");

		this.proxy.up();
		HttpResponse<String> again = put();
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(again.body()).isEqualTo("stored");
	}

	@Test
	void refusesConnectionsWhileDown() throws Exception {
		this.proxy.down();
		assertThatExceptionOfType(IOException.class).isThrownBy(this::put);
		this.proxy.up();
		assertThat(put().body()).isEqualTo("stored");
	}

}
