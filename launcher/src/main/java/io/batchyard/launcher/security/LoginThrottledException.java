package io.batchyard.launcher.security;

import java.time.Duration;

import org.springframework.security.core.AuthenticationException;

/**
 * A login refused by {@link LoginThrottle} before its password was checked: answered 429
 * with {@code Retry-After} on the API, and {@code /login?throttled} on the dashboard.
 */
public class LoginThrottledException extends AuthenticationException {

	private static final long serialVersionUID = 1L;

	private final long retryAfterSeconds;

	LoginThrottledException(Duration retryAfter) {
		super("Too many failed logins for this user or from this address: retry in " + seconds(retryAfter) + " s");
		this.retryAfterSeconds = seconds(retryAfter);
	}

	/**
	 * How long to wait, for {@code Retry-After}.
	 * @return whole seconds, at least 1
	 */
	public long getRetryAfterSeconds() {
		return this.retryAfterSeconds;
	}

	private static long seconds(Duration duration) {
		return Math.max(1, (duration.toMillis() + 999) / 1000);
	}

}
