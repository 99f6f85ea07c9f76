package io.batchyard.launcher.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Puts {@link LoginThrottle} in front of a password check: a blocked user or address is
 * refused ({@link LoginThrottledException}) before the password is looked at; a wrong
 * password is counted, logged (user and address, never the password) and counted in
 * {@value #FAILURES}; a right one clears the user's count at that address. The address is
 * the request's remote address ({@link WebAuthenticationDetails}), which Spring Boot sets
 * from {@code X-Forwarded-For} only when {@code server.forward-headers-strategy} says a
 * trusted proxy sets it.
 */
class ThrottledAuthenticationManager implements AuthenticationManager {

	/** Wrong passwords, tagged {@code channel} ({@code api} or {@code dashboard}). */
	static final String FAILURES = "batchyard.login.failures";

	/** Logins refused unchecked by the throttle, tagged {@code channel}. */
	static final String THROTTLED = "batchyard.login.throttled";

	private static final Log logger = LogFactory.getLog(ThrottledAuthenticationManager.class);

	private final AuthenticationManager delegate;

	private final LoginThrottle throttle;

	private final String channel;

	private final Counter failures;

	private final Counter throttled;

	ThrottledAuthenticationManager(AuthenticationManager delegate, LoginThrottle throttle, MeterRegistry meters,
			String channel) {
		this.delegate = delegate;
		this.throttle = throttle;
		this.channel = channel;
		this.failures = Counter.builder(FAILURES)
			.description("Failed logins (wrong user name or password)")
			.tag("channel", channel)
			.register(meters);
		this.throttled = Counter.builder(THROTTLED)
			.description("Logins refused by the login throttle before their password was checked")
			.tag("channel", channel)
			.register(meters);
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		if (!(authentication instanceof UsernamePasswordAuthenticationToken)) {
			return this.delegate.authenticate(authentication);
		}
		String user = authentication.getName();
		String address = (authentication.getDetails() instanceof WebAuthenticationDetails details)
				? details.getRemoteAddress() : null;
		LoginThrottle.Decision decision = this.throttle.check(user, address);
		if (!decision.allowed()) {
			this.throttled.increment();
			LoginThrottledException refused = new LoginThrottledException(decision.retryAfter());
			if (decision.firstRefusal()) {
				logger.warn("Login throttled (" + this.channel + "): user '" + printable(user) + "' from " + address
						+ ", retry in " + refused.getRetryAfterSeconds() + " s; further refusals are not logged");
			}
			throw refused;
		}
		Authentication result;
		try {
			result = this.delegate.authenticate(authentication);
		}
		catch (BadCredentialsException ex) {
			LoginThrottle.Failure failure = this.throttle.failed(user, address);
			this.failures.increment();
			logger.warn("Failed login (" + this.channel + "): user '" + printable(user) + "' from " + address + ", "
					+ failure.failures() + " failure(s) in a row" + (failure.delay().isZero() ? ""
							: "; next attempt in " + Math.max(1, (failure.delay().toMillis() + 999) / 1000) + " s"));
			throw ex;
		}
		this.throttle.succeeded(user, address);
		return result;
	}

	/**
	 * A user name as it may be logged: it is whatever a client sent.
	 */
	static String printable(String user) {
		if (user == null) {
			return "";
		}
		StringBuilder printable = new StringBuilder();
		user.codePoints().limit(64).forEach((c) -> printable.appendCodePoint(Character.isISOControl(c) ? '?' : c));
		return (user.codePointCount(0, user.length()) > 64) ? printable + "..." : printable.toString();
	}

}
