package io.batchyard.readers.blob;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalBlobUrlSignerTests {

	static final Instant NOW = Instant.parse("2026-12-01T06:00:00Z");

	static LocalBlobUrlSigner signer(Instant now) {
		return LocalBlobUrlSigner.builder()
			.base(URI.create("http://localhost:8080/blobs/"))
			.key("a-test-key-of-32-bytes-0123456789".getBytes(StandardCharsets.UTF_8))
			.clock(Clock.fixed(now, ZoneOffset.UTC))
			.build();
	}

	static String parameter(URI url, String name) {
		for (String pair : url.getRawQuery().split("&")) {
			if (pair.startsWith(name + "=")) {
				return pair.substring(name.length() + 1);
			}
		}
		return null;
	}

	@Test
	void aUrlWorksForItsMethodAndKeyUntilItExpires() {
		URI get = signer(NOW).signedGet("enhancement_result/b_repo.jsonl", Duration.ofMinutes(10));
		assertThat(get.getPath()).isEqualTo("/blobs/enhancement_result/b_repo.jsonl");
		assertThat(parameter(get, "method")).isEqualTo("GET");
		long expires = Long.parseLong(parameter(get, "expires"));
		assertThat(expires).isEqualTo(NOW.plusSeconds(600).getEpochSecond());
		String signature = parameter(get, "signature");

		assertThat(signer(NOW.plusSeconds(599)).verify("GET", "enhancement_result/b_repo.jsonl", expires, signature))
			.isTrue();
		assertThat(signer(NOW.plusSeconds(601)).verify("GET", "enhancement_result/b_repo.jsonl", expires, signature))
			.isFalse();
		assertThat(signer(NOW).verify("PUT", "enhancement_result/b_repo.jsonl", expires, signature)).isFalse();
		assertThat(signer(NOW).verify("GET", "enhancement_result/other.jsonl", expires, signature)).isFalse();
		assertThat(signer(NOW).verify("GET", "enhancement_result/b_repo.jsonl", expires + 3600, signature)).isFalse();
		assertThat(signer(NOW).verify("GET", "enhancement_result/b_repo.jsonl", expires, null)).isFalse();
	}

}
