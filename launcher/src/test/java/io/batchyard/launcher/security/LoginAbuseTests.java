package io.batchyard.launcher.security;

import java.time.Duration;

import io.batchyard.launcher.support.BatchyardTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.test.context.support.WithAnonymousUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Password guessing against the real filter chains: the login throttle on HTTP Basic and
 * on the form login (on a clock the test moves, never a sleep), and the cache of verified
 * Basic credentials (on a counting wrapper around the real password encoder). Each test
 * guesses at its own user from its own address, as the throttle counts per user and per
 * address (passwords: {@code basic-secret}, {@code form-secret}, {@code mixed-secret}).
 */
@BatchyardTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
		"batchyard.security.users.basic-user.password={bcrypt}$2a$10$p1V1v4EdQebBmUBxmezaYORA5nfPU8SL/pi.AlbO9UQaEzunRctXy",
		"batchyard.security.users.form-user.password={bcrypt}$2a$10$RrhnAi7DzcGjKbyRXIYVzONYv5uHHDUARSY/INgZxQakq7GWYLNnq",
		"batchyard.security.users.mixed-user.password={bcrypt}$2a$10$lhE/.CB0Q7fmJAIyTZf7WeyJbAbIsA6VRA0YJU.cbBvylU9AwkCD." })
class LoginAbuseTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		@Primary
		MutableClock testClock() {
			return new MutableClock();
		}

		@Bean
		@Primary
		CountingPasswordEncoder countingPasswordEncoder() {
			return new CountingPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());
		}

	}

	@Autowired
	MockMvc mvc;

	@Autowired
	MutableClock clock;

	@Autowired
	CountingPasswordEncoder encoder;

	@Autowired
	MeterRegistry meters;

	static RequestPostProcessor from(String address) {
		return (request) -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

	static MockHttpServletRequestBuilder form(String user, String password, String address) {
		return post("/login").param("username", user).param("password", password).with(csrf()).with(from(address));
	}

	double count(String meter, String channel) {
		return this.meters.get(meter).tag("channel", channel).counter().count();
	}

	@Test
	@WithAnonymousUser
	void sixWrongBasicPasswordsThenA429UntilTheDelayPassedThenTheRightPasswordWorks(CapturedOutput output)
			throws Exception {
		double failures = count(ThrottledAuthenticationManager.FAILURES, "api");
		double throttled = count(ThrottledAuthenticationManager.THROTTLED, "api");
		for (int i = 0; i < 6; i++) {
			this.mvc.perform(get("/api/jobs").with(httpBasic("basic-user", "guess-" + i)).with(from("10.20.0.1")))
				.andExpect(status().isUnauthorized());
		}
		this.mvc.perform(get("/api/jobs").with(httpBasic("basic-user", "basic-secret")).with(from("10.20.0.1")))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string("Retry-After", "1"))
			.andExpect(jsonPath("$.status").value(429))
			.andExpect(jsonPath("$.error")
				.value("Too many failed logins for this user or from this address: retry in 1 s"));
		// Another user from the same address, and the same user from elsewhere, are not
		// held up by these six.
		this.mvc.perform(get("/api/jobs").with(httpBasic("operator", "operator-secret")).with(from("10.20.0.1")))
			.andExpect(status().isOk());
		this.mvc.perform(get("/api/jobs").with(httpBasic("basic-user", "basic-secret")).with(from("10.20.0.2")))
			.andExpect(status().isOk());
		this.clock.advance(Duration.ofSeconds(1));
		this.mvc.perform(get("/api/jobs").with(httpBasic("basic-user", "basic-secret")).with(from("10.20.0.1")))
			.andExpect(status().isOk());
		// The success cleared the count: the next mistake is a plain 401 again.
		this.mvc.perform(get("/api/jobs").with(httpBasic("basic-user", "guess-7")).with(from("10.20.0.1")))
			.andExpect(status().isUnauthorized());
		assertThat(count(ThrottledAuthenticationManager.FAILURES, "api") - failures).isEqualTo(7);
		assertThat(count(ThrottledAuthenticationManager.THROTTLED, "api") - throttled).isEqualTo(1);
		assertThat(output.getOut())
			.contains("Failed login (api): user 'basic-user' from 10.20.0.1, 6 failure(s) in a row;"
					+ " next attempt in 1 s")
			.contains("Login throttled (api): user 'basic-user' from 10.20.0.1, retry in 1 s")
			.doesNotContain("guess-5")
			.doesNotContain("basic-secret");
	}

	@Test
	@WithAnonymousUser
	void theFormLoginIsThrottledTooAndSaysSo() throws Exception {
		for (int i = 0; i < 6; i++) {
			this.mvc.perform(form("form-user", "guess-" + i, "10.30.0.1")).andExpect(redirectedUrl("/login?error"));
		}
		this.mvc.perform(form("form-user", "form-secret", "10.30.0.1")).andExpect(redirectedUrl("/login?throttled"));
		this.mvc.perform(get("/login?throttled"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Too many failed log-ins for this user or from this")));
		this.clock.advance(Duration.ofSeconds(1));
		this.mvc.perform(form("form-user", "form-secret", "10.30.0.1")).andExpect(redirectedUrl("/"));
	}

	@Test
	@WithAnonymousUser
	void guessesOverBasicAndTheFormCountTogether() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.mvc.perform(get("/api/jobs").with(httpBasic("mixed-user", "guess-" + i)).with(from("10.40.0.1")))
				.andExpect(status().isUnauthorized());
			this.mvc.perform(form("mixed-user", "guess-" + i, "10.40.0.1")).andExpect(redirectedUrl("/login?error"));
		}
		this.mvc.perform(get("/api/jobs").with(httpBasic("mixed-user", "mixed-secret")).with(from("10.40.0.1")))
			.andExpect(status().isTooManyRequests());
	}

	@Test
	@WithAnonymousUser
	void basicCredentialsAreCheckedOnceThenServedFromTheCacheButAWrongPasswordNever() throws Exception {
		this.mvc.perform(get("/api/jobs").with(httpBasic("operator", "operator-secret")).with(from("10.50.0.1")))
			.andExpect(status().isOk());
		int checks = this.encoder.matches();
		for (int i = 0; i < 5; i++) {
			this.mvc.perform(get("/api/jobs").with(httpBasic("operator", "operator-secret")).with(from("10.50.0.1")))
				.andExpect(status().isOk());
		}
		assertThat(this.encoder.matches()).isEqualTo(checks);
		this.mvc.perform(get("/api/jobs").with(httpBasic("operator", "operator-secreT")).with(from("10.50.0.1")))
			.andExpect(status().isUnauthorized());
		assertThat(this.encoder.matches()).isEqualTo(checks + 1);
		this.mvc.perform(get("/api/jobs").with(httpBasic("operator", "operator-secreT")).with(from("10.50.0.1")))
			.andExpect(status().isUnauthorized());
		assertThat(this.encoder.matches()).isEqualTo(checks + 2);
		// A viewer's cached login keeps its own roles.
		this.mvc.perform(get("/api/jobs").with(httpBasic("viewer", "viewer-secret")).with(from("10.50.0.1")))
			.andExpect(status().isOk());
		this.mvc
			.perform(post("/api/executions/4242/stop").with(httpBasic("viewer", "viewer-secret"))
				.with(from("10.50.0.1")))
			.andExpect(status().isForbidden());
	}

}
