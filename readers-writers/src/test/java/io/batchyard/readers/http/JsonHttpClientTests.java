package io.batchyard.readers.http;

import java.net.URI;
import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JsonHttpClientTests {

	@RegisterExtension
	static WireMockExtension server = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	private final JsonHttpClient client = JsonHttpClient.builder()
		.maxAttempts(3)
		.backOff(Duration.ofMillis(5), Duration.ofMillis(10))
		.readTimeout(Duration.ofMillis(500))
		.authorization(() -> "Bearer t")
		.build();

	private URI uri(String path) {
		return URI.create(server.baseUrl() + path);
	}

	@Test
	void retriesThrottlingAndServerErrorsThenSucceeds() {
		server.stubFor(get("/r").inScenario("flaky").willReturn(aResponse().withStatus(429)).willSetStateTo("2"));
		server.stubFor(get("/r").inScenario("flaky")
			.whenScenarioStateIs("2")
			.willReturn(aResponse().withStatus(503))
			.willSetStateTo("3"));
		server.stubFor(get("/r").inScenario("flaky").whenScenarioStateIs("3").willReturn(okJson("{\"ok\":true}")));

		assertThat(this.client.get("test call", uri("/r")).path("ok").asBoolean()).isTrue();
		assertThat(server.findAll(getRequestedFor(urlEqualTo("/r")))).hasSize(3)
			.allSatisfy((request) -> assertThat(request.getHeader("Authorization")).isEqualTo("Bearer t"));
		server.resetScenarios();
	}

	@Test
	void givesUpAfterTheLastAttempt() {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(502)));

		assertThatExceptionOfType(HttpCallException.class).isThrownBy(() -> this.client.get("test call", uri("/down")))
			.withMessage("test call GET " + uri("/down") + " failed after 3 attempt(s), last with HTTP 502")
			.satisfies((ex) -> assertThat(ex.isTransientFailure()).isTrue());
		assertThat(server.findAll(getRequestedFor(urlEqualTo("/down")))).hasSize(3);
	}

	@Test
	void retriesTimeouts() {
		server.stubFor(get("/slow").willReturn(okJson("{}").withFixedDelay(2000)));

		assertThatExceptionOfType(HttpCallException.class).isThrownBy(() -> this.client.get("test call", uri("/slow")))
			.withMessage(
					"test call GET " + uri("/slow") + " failed after 3 attempt(s), last with HttpTimeoutException");
	}

	@Test
	void failsAtOnceNamingTheCallOnAuthenticationAndMissingResources() {
		for (int status : new int[] { 401, 403, 404 }) {
			server.stubFor(get("/s" + status).willReturn(aResponse().withStatus(status).withBody("no")));

			assertThatExceptionOfType(HttpCallException.class)
				.isThrownBy(() -> this.client.get("test call", uri("/s" + status)))
				.withMessage("test call GET " + uri("/s" + status) + " was refused with HTTP " + status + ": no")
				.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(status));
			assertThat(server.findAll(getRequestedFor(urlEqualTo("/s" + status)))).hasSize(1);
		}
	}

}
