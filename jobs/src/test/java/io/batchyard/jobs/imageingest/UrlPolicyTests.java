package io.batchyard.jobs.imageingest;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class UrlPolicyTests {

	private final UrlPolicy policy = new UrlPolicy(List.of());

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1/a.jpg", "http://localhost:8080/a.jpg", "http://10.1.2.3/a.jpg",
			"http://192.168.0.10/a.jpg", "http://172.16.5.4/a.jpg", "http://169.254.169.254/latest/meta-data/",
			"http://[::1]/a.jpg", "http://[fd00:ec2::254]/a.jpg", "http://0.0.0.0/a.jpg", "http://100.64.0.1/a.jpg" })
	void refusesInternalAddresses(String url) {
		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> this.policy.check(URI.create(url)))
			.withMessageStartingWith("URL not allowed: " + url);
	}

	@ParameterizedTest
	@ValueSource(strings = { "file:///etc/passwd", "ftp://example.com/a.jpg", "gopher://example.com/" })
	void refusesOtherSchemes(String url) {
		assertThatExceptionOfType(ImageRejectedException.class).isThrownBy(() -> this.policy.check(URI.create(url)))
			.withMessageStartingWith("URL not allowed: " + url);
	}

	@Test
	void allowsAPublicAddress() {
		assertThatNoException().isThrownBy(() -> this.policy.check(URI.create("http://93.184.215.14/a.jpg")));
	}

	@Test
	void allowsListedHosts() {
		UrlPolicy local = new UrlPolicy(List.of("127.0.0.1", " LocalHost "));
		assertThatNoException().isThrownBy(() -> local.check(URI.create("http://127.0.0.1:9000/a.jpg")));
		assertThatNoException().isThrownBy(() -> local.check(URI.create("http://localhost/a.jpg")));
		assertThatExceptionOfType(ImageRejectedException.class)
			.isThrownBy(() -> local.check(URI.create("http://10.0.0.1/a.jpg")));
	}

}
