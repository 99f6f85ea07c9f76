package io.batchyard.launcher.security;

import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may use the dashboard and the API. Passwords are stored encoded in the
 * {@code DelegatingPasswordEncoder} notation ({@code {bcrypt}$2a$10$...}); bearer tokens
 * are stored as the SHA-256 of the token, so the configuration never holds a secret that
 * works as it is.
 *
 * @param users dashboard and API users by name
 * @param tokens bearer tokens for API clients by name (the name is the principal)
 */
@ConfigurationProperties("batchyard.security")
public record SecurityProperties(@DefaultValue Map<String, User> users, @DefaultValue Map<String, Token> tokens) {

	/**
	 * A user.
	 *
	 * @param password the encoded password, for example {@code {bcrypt}$2a$10$...}
	 * @param roles the roles; {@code OPERATOR} implies {@code VIEWER}
	 */
	public record User(String password, @DefaultValue("VIEWER") Set<Role> roles) {
	}

	/**
	 * A bearer token for an API client.
	 *
	 * @param sha256 the token's SHA-256, hex-encoded
	 * ({@code printf %s "$TOKEN" | sha256sum})
	 * @param roles the roles; {@code OPERATOR} implies {@code VIEWER}
	 */
	public record Token(String sha256, @DefaultValue("VIEWER") Set<Role> roles) {
	}

	/**
	 * The two roles.
	 */
	public enum Role {

		/** Reads: every page and GET endpoint. */
		VIEWER,
		/** Acts: launches, restarts, stops, abandons, recovers, triggers schedules. */
		OPERATOR

	}

}
