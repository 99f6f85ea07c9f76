package io.batchyard.launcher.security;

import java.time.Clock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The password checks of the two filter chains, both behind one {@link LoginThrottle} (so
 * guesses over Basic and over the form count together): the dashboard's form login checks
 * the password; the API's HTTP Basic checks it through
 * {@link CachingAuthenticationProvider}, as a client sends it with every request.
 */
class PasswordLogins {

	private final AuthenticationManager api;

	private final AuthenticationManager dashboard;

	PasswordLogins(UserDetailsService users, PasswordEncoder encoder, LoginThrottle throttle,
			BasicAuthCacheProperties basicCache, MeterRegistry meters, Clock clock) {
		DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
		passwords.setPasswordEncoder(encoder);
		this.api = new ThrottledAuthenticationManager(
				new ProviderManager(new CachingAuthenticationProvider(passwords, basicCache, clock)), throttle, meters,
				"api");
		this.dashboard = new ThrottledAuthenticationManager(new ProviderManager(passwords), throttle, meters,
				"dashboard");
		Gauge.builder("batchyard.login.throttle.entries", throttle, LoginThrottle::size)
			.description("Keys and known addresses the login throttle holds (bounded)")
			.register(meters);
	}

	AuthenticationManager api() {
		return this.api;
	}

	AuthenticationManager dashboard() {
		return this.dashboard;
	}

}
