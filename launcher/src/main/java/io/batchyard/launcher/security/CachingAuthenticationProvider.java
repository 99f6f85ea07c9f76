package io.batchyard.launcher.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;

/**
 * Remembers verified HTTP Basic credentials for a short time, so an API client sending
 * the same user name and password with every request pays one bcrypt check (0.4-0.7 s
 * under load) per {@code ttl} instead of one per request. Bearer tokens remain the
 * recommended API credential: they cost a SHA-256.
 * <p>
 * The cache holds no password, not even a hash an attacker could test guesses against
 * offline: its key is an HMAC-SHA256 of the user name and password under a random key
 * made at start-up and never stored, its value the authenticated user without
 * credentials. Only successes are cached, so a wrong password always reaches the real
 * check (and the login throttle), and nobody without a valid password can grow the cache;
 * it holds at most {@code max-entries}, least recently used dropped first. A password
 * changed in the configuration takes effect at the restart that applies it.
 */
class CachingAuthenticationProvider implements AuthenticationProvider {

	private final AuthenticationProvider delegate;

	private final Duration ttl;

	private final Clock clock;

	private final SecretKeySpec key;

	private final Map<String, Verified> verified;

	CachingAuthenticationProvider(AuthenticationProvider delegate, BasicAuthCacheProperties properties, Clock clock) {
		this.delegate = delegate;
		this.ttl = properties.ttl();
		this.clock = clock;
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		this.key = new SecretKeySpec(secret, "HmacSHA256");
		int capacity = properties.maxEntries();
		this.verified = new LinkedHashMap<>(16, 0.75f, true) {

			private static final long serialVersionUID = 1L;

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
				return size() > capacity;
			}

		};
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		if (this.ttl.isZero() || this.ttl.isNegative()
				|| !(authentication.getCredentials() instanceof String password)) {
			return this.delegate.authenticate(authentication);
		}
		String user = authentication.getName();
		String key = key(user, password);
		long now = this.clock.millis();
		Verified hit;
		synchronized (this.verified) {
			hit = this.verified.get(key);
			if (hit != null && (hit.expiresAt <= now || !hit.user.equals(user))) {
				this.verified.remove(key);
				hit = null;
			}
		}
		if (hit != null) {
			UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken
				.authenticated(hit.principal, null, hit.authorities);
			result.setDetails(authentication.getDetails());
			return result;
		}
		Authentication result = this.delegate.authenticate(authentication);
		if (result != null && result.isAuthenticated()) {
			Object principal = result.getPrincipal();
			if (principal instanceof CredentialsContainer container) {
				// The encoded password of the user details: not needed once verified.
				container.eraseCredentials();
			}
			synchronized (this.verified) {
				this.verified.put(key,
						new Verified(user, principal, result.getAuthorities(), now + this.ttl.toMillis()));
			}
		}
		return result;
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

	/**
	 * How many credentials are held.
	 * @return the count, at most {@code max-entries}
	 */
	int size() {
		synchronized (this.verified) {
			return this.verified.size();
		}
	}

	private String key(String user, String password) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			// Length-prefixed, so no other split of the same characters gives the same
			// key.
			mac.update((user.length() + ":" + user).getBytes(StandardCharsets.UTF_8));
			mac.update(password.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(mac.doFinal());
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Verified(String user, Object principal, Collection<? extends GrantedAuthority> authorities,
			long expiresAt) {

	}

}
