package io.batchyard.launcher.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiErrorsTests {

	@Test
	void apiPathsInAnySpellingTheContainerAccepts() {
		assertThat(ApiErrors.isApiPath("/api")).isTrue();
		assertThat(ApiErrors.isApiPath("/api/jobs/a%00b/executions")).isTrue();
		assertThat(ApiErrors.isApiPath("/api/v1/batch/x")).isTrue();
		assertThat(ApiErrors.isApiPath("/enhancement-requests")).isTrue();
		assertThat(ApiErrors.isApiPath("/robot-enhancement-batches/1/results/")).isTrue();
		assertThat(ApiErrors.isApiPath("/blobs/../..")).isTrue();
		assertThat(ApiErrors.isApiPath("//api//jobs")).isTrue();
		assertThat(ApiErrors.isApiPath("/./api/jobs")).isTrue();
		assertThat(ApiErrors.isApiPath("/api;jsessionid=1/jobs")).isTrue();
		assertThat(ApiErrors.isApiPath("/%61pi/jobs")).isTrue();
		assertThat(ApiErrors.isApiPath("/%2e/api/jobs")).isTrue();
	}

	@Test
	void theDashboardIsNoApiPath() {
		assertThat(ApiErrors.isApiPath("/")).isFalse();
		assertThat(ApiErrors.isApiPath("/executions/1")).isFalse();
		assertThat(ApiErrors.isApiPath("/apis")).isFalse();
		assertThat(ApiErrors.isApiPath("/blobsx/1")).isFalse();
		assertThat(ApiErrors.isApiPath("/API/jobs")).isFalse();
		assertThat(ApiErrors.isApiPath("")).isFalse();
		assertThat(ApiErrors.isApiPath(null)).isFalse();
	}

	@Test
	void pathsTheContainerRefuses() {
		assertThat(ApiErrors.isInvalidPath("/api/jobs/..%2F..%2Fetc%2Fpasswd/executions")).isTrue();
		assertThat(ApiErrors.isInvalidPath("/api/jobs/a%2fb")).isTrue();
		assertThat(ApiErrors.isInvalidPath("/api/jobs/a%5Cb")).isTrue();
		assertThat(ApiErrors.isInvalidPath("/api/jobs/a%00b")).isTrue();
		assertThat(ApiErrors.isInvalidPath("/api/jobs/a\\b")).isTrue();
		assertThat(ApiErrors.isInvalidPath("/api/jobs/%")).isTrue();
		assertThat(ApiErrors.isInvalidPath("/api/jobs/%zz")).isTrue();
		assertThat(ApiErrors.isInvalidPath("/api/jobs/%C0%AE%C0%AE/")).isTrue();
		assertThat(ApiErrors.isInvalidPath("/blobs/../..")).isTrue();
		assertThat(ApiErrors.isInvalidPath("/api/%2e%2e/%2e%2e/x")).isTrue();
	}

	@Test
	void pathsTheContainerAccepts() {
		assertThat(ApiErrors.isInvalidPath("/api/jobs/repositoryPurgeJob/executions")).isFalse();
		assertThat(ApiErrors.isInvalidPath("/api/jobs/a/../b")).isFalse();
		assertThat(ApiErrors.isInvalidPath("/api/jobs/%E2%80%A8")).isFalse();
		assertThat(ApiErrors.isInvalidPath("/api/jobs/a%20b")).isFalse();
	}

	@Test
	void clientTextIsShortened() {
		assertThat(ApiErrors.abbreviated("short")).isEqualTo("short");
		assertThat(ApiErrors.abbreviated("x".repeat(1000))).hasSize(301).endsWith("…");
	}

	@Test
	void errorsAreTheApiErrorJson() {
		assertThat(ApiErrors.json(400, "Bad \"path\"")).isEqualTo("{\"error\":\"Bad \\\"path\\\"\",\"status\":400}");
	}

}
