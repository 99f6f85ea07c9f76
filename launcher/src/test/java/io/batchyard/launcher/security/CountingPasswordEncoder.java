package io.batchyard.launcher.security;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A real password encoder that counts its password checks.
 */
class CountingPasswordEncoder implements PasswordEncoder {

	private final PasswordEncoder delegate;

	private final AtomicInteger matches = new AtomicInteger();

	CountingPasswordEncoder(PasswordEncoder delegate) {
		this.delegate = delegate;
	}

	int matches() {
		return this.matches.get();
	}

	@Override
	public String encode(CharSequence rawPassword) {
		return this.delegate.encode(rawPassword);
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		this.matches.incrementAndGet();
		return this.delegate.matches(rawPassword, encodedPassword);
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		return this.delegate.upgradeEncoding(encodedPassword);
	}

}
