package io.batchyard.jobs.imageingest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.batchyard.test.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link ImageDownloader} against a real HTTP server (WireMock on 127.0.0.1, the only
 * host allowed).
 */
class ImageDownloaderTests {

	@RegisterExtension
	static WireMockExtension server = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	private final ImageDownloader downloader = new ImageDownloader(new UrlPolicy(List.of("127.0.0.1")),
			Duration.ofSeconds(2), Duration.ofMillis(500), 5, 1000);

	@Test
	void downloadsAnImage() throws Exception {
		byte[] png = TestImages.png(4, 4);
		server.stubFor(get("/a.png").willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(png)));

		assertThat(this.downloader.download(url("/a.png"))).isEqualTo(png);
	}

	@Test
	void followsUpToFiveRedirects() throws Exception {
		byte[] png = TestImages.png(4, 4);
		for (int i = 0; i < 6; i++) {
			server
				.stubFor(get("/r" + i).willReturn(aResponse().withStatus(302).withHeader("Location", "/r" + (i + 1))));
		}
		server.stubFor(get("/r6").willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(png)));

		assertThat(this.downloader.download(url("/r1"))).isEqualTo(png);
		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> this.downloader.download(url("/r0")))
			.withMessage("Failed to download image: more than 5 redirects");
	}

	@Test
	void checksEveryRedirectTarget() {
		server.stubFor(get("/away").willReturn(
				aResponse().withStatus(301).withHeader("Location", "http://localhost:" + server.getPort() + "/a.png")));

		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> this.downloader.download(url("/away")))
			.withMessageStartingWith("URL not allowed: http://localhost:" + server.getPort() + "/a.png");
		assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/a.png")))).isEmpty();
	}

	@Test
	void failsOnAnErrorStatusOrAContentTypeThatIsNoImage() {
		server.stubFor(get("/missing").willReturn(aResponse().withStatus(404)));
		server.stubFor(get("/page").willReturn(aResponse().withHeader("Content-Type", "text/html").withBody("<p>")));

		assertThatExceptionOfType(ImageRejectedException.class)
			.isThrownBy(() -> this.downloader.download(url("/missing")))
			.withMessage("Failed to download image: status code 404");
		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> this.downloader.download(url("/page")))
			.withMessage("Failed to download image: content type 'text/html' is not an image");
	}

	@Test
	void rejectsABodyOverTheLimitWhetherDeclaredOrNot() {
		server.stubFor(
				get("/big").willReturn(aResponse().withHeader("Content-Type", "image/jpeg").withBody(new byte[1001])));
		server.stubFor(get("/big-chunked").willReturn(aResponse().withHeader("Content-Type", "image/jpeg")
			.withHeader("Transfer-Encoding", "chunked")
			.withBody(new byte[5000])));

		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> this.downloader.download(url("/big")))
			.withMessage("Image too large: more than 1000 bytes");
		assertThatExceptionOfType(ImageRejectedException.class)
			.isThrownBy(() -> this.downloader.download(url("/big-chunked")))
			.withMessage("Image too large: more than 1000 bytes");
	}

	@Test
	void downloadsAnImageOfUnknownLength() throws Exception {
		byte[] png = TestImages.png(6, 6);
		server.stubFor(get("/chunked.png").willReturn(aResponse().withHeader("Content-Type", "image/png")
			.withHeader("Transfer-Encoding", "chunked")
			.withBody(png)));

		assertThat(this.downloader.download(url("/chunked.png"))).isEqualTo(png);
	}

	@Test
	void failsOnABodyShorterThanItsDeclaredLength() throws Exception {
		// A raw server: it declares 800 bytes, sends 10 and closes the connection.
		try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Thread answer = new Thread(() -> {
				try (Socket socket = raw.accept()) {
					socket.getInputStream().read(new byte[4096]);
					OutputStream out = socket.getOutputStream();
					out.write(("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 800\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
					out.write(new byte[10]);
					out.flush();
				}
				catch (IOException ex) {
					// the client went away
				}
			});
			answer.start();

			assertThatExceptionOfType(ImageRejectedException.class)
				.isThrownBy(() -> this.downloader.download("http://127.0.0.1:" + raw.getLocalPort() + "/short.png"))
				.withMessageStartingWith("Failed to download image: ");
			answer.join(5000);
		}
	}

	@Test
	void timesOutOnASlowServer() {
		server
			.stubFor(get("/slow").willReturn(aResponse().withFixedDelay(2000).withHeader("Content-Type", "image/png")));

		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> this.downloader.download(url("/slow")))
			.withMessage("Failed to download image: timed out after PT0.5S");
	}

	@Test
	void refusesAnInternalAddressByDefault() {
		ImageDownloader strict = new ImageDownloader(new UrlPolicy(List.of()), Duration.ofSeconds(2),
				Duration.ofSeconds(2), 5, 1000);
		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> strict.download(url("/a.png")))
			.withMessageStartingWith("URL not allowed: " + url("/a.png"));
		assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/a.png")))).isEmpty();
	}

	private static String url(String path) {
		return "http://127.0.0.1:" + server.getPort() + path;
	}

}
