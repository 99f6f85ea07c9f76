package io.batchyard.launcher.api;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.batchyard.launcher.api.RawHttp.Response;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refusal on the API paths is {@code {"error", "status"}} JSON, wherever it is
 * decided: Tomcat's connector (paths it will not decode), Spring Security's firewall,
 * Spring MVC before any controller runs, and content negotiation. Against the real
 * embedded server, with requests sent byte for byte (MockMvc never meets the connector or
 * the firewall).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiErrorShapeTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	private RawHttp http;

	@BeforeEach
	void client() {
		this.http = new RawHttp(this.port);
	}

	@Test
	void pathsTheConnectorWillNotDecodeAnswerJson() {
		for (String target : new String[] { "/api/jobs/..%2F..%2Fetc%2Fpasswd/executions", "/api/jobs/a%00b/executions",
				"/api/jobs/a%5Cb", "/api/jobs/%", "/api/v1/batch/x%2Fy", "/enhancement-requests/a%2Fb/",
				"/robot-enhancement-batches/a%2Fb/results/", "/blobs/../..", "//api/jobs/a%00b",
				"/%61pi/jobs/a%00b" }) {
			for (String method : new String[] { "GET", "POST" }) {
				assertError(this.http.send(method, target, Map.of()), 400, ApiErrorReportValve.INVALID_PATH);
			}
		}
	}

	@Test
	void requestsTheConnectorCannotParseAnswerJson() {
		// Refused before the path is known (a raw backslash ends the request line), or
		// with an oversized header: JSON too, as no browser sends these.
		assertError(this.http.get("/api/jobs/a\\b"), 400, ApiErrorReportValve.MALFORMED_REQUEST);
		assertError(this.http.get("/executions/a\\b"), 400, ApiErrorReportValve.MALFORMED_REQUEST);
		assertError(this.http.send("GET", "/api/jobs", Map.of("X-Padding", "x".repeat(20_000))), 400,
				ApiErrorReportValve.MALFORMED_REQUEST);
	}

	@Test
	void pathsTheFirewallRejectsAnswerJson() {
		assertError(this.http.get("/api/jobs/a;b"), 400,
				"Request rejected: The request was rejected because the URL contained a potentially malicious String \";\"");
		assertError(this.http.get("/api/jobs/%2e%2e/x"), 400,
				"Request rejected: The request was rejected because the URL contained a potentially malicious String \"%2e\"");
		for (String target : new String[] { "/api/jobs/a//b", "/api/../api/jobs", "/api/jobs/x%25", "/api/jobs/a%0Ab",
				"/enhancement-requests//1", "/robot-enhancement-batches/%2e/x", "/blobs/a;b" }) {
			Response response = this.http.get(target);
			assertThat(response.status()).as(target).isEqualTo(400);
			assertJson(response, 400);
			assertThat(error(response)).as(target).startsWith("Request rejected: The request was rejected because");
		}
	}

	@Test
	void aClientThatAcceptsOnlyXmlGetsTheJsonError() {
		Map<String, String> xml = Map.of("Accept", "application/xml");
		assertError(this.http.send("GET", "/api/jobs", xml), 406,
				"Not acceptable: this API answers application/json only");
		assertError(this.http.send("GET", "/api/executions/12345", xml), 404, "No job execution with id 12345");
		String unknown = UUID.randomUUID().toString();
		assertError(this.http.send("GET", "/api/v1/batch/" + unknown, xml), 404, "Job not found: " + unknown);
		assertError(this.http.send("GET", "/api/nothing", xml), 404, "Not found: /api/nothing");
	}

	@Test
	void refusalsMadeBeforeAnyControllerRunsAnswerJson() {
		assertError(this.http.get("/api/nothing"), 404, "Not found: /api/nothing");
		assertError(this.http.get("/enhancement-requests/1/nothing"), 404,
				"Not found: /enhancement-requests/1/nothing");
		assertError(this.http.send("DELETE", "/api/jobs", Map.of()), 405, "Method not allowed");
		assertError(this.http.send("GET", "/api/jobs", Map.of("Accept", "text/html")), 406,
				"Not acceptable: this API answers application/json only");
	}

	@Test
	void theDashboardKeepsItsHtmlErrorPages() {
		Response connector = this.http.get("/executions/a%2Fb");
		assertThat(connector.status()).isEqualTo(400);
		assertThat(connector.header("Content-Type")).startsWith("text/html");
		assertThat(connector.body()).contains("<html").doesNotContain("\"status\"");
		Response firewall = this.http.send("GET", "/executions/a;b", Map.of("Accept", "text/html"));
		assertThat(firewall.status()).isEqualTo(400);
		assertThat(firewall.header("Content-Type")).startsWith("text/html");
	}

	private static void assertError(Response response, int status, String error) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertJson(response, status);
		assertThat(error(response)).isEqualTo(error);
	}

	private static void assertJson(Response response, int status) {
		assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/json");
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.path("status").asInt()).isEqualTo(status);
		assertThat(body.properties()).extracting(Map.Entry::getKey).containsExactly("error", "status");
	}

	private static String error(Response response) {
		return JSON.readTree(response.body()).path("error").asString();
	}

}
