package io.batchyard.launcher.security;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link CachingAuthenticationProvider} in front of a real bcrypt check: a verified
 * password is not checked again within the TTL, a wrong one always is.
 */
class CachingAuthenticationProviderTests {

	final CountingPasswordEncoder encoder = new CountingPasswordEncoder(new BCryptPasswordEncoder(4));

	final MutableClock clock = new MutableClock();

	final CachingAuthenticationProvider provider = provider(1000);

	CachingAuthenticationProvider provider(int maxEntries) {
		InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
				User.withUsername("alice").password(this.encoder.encode("alice-secret")).roles("OPERATOR").build(),
				User.withUsername("bob").password(this.encoder.encode("bob-secret")).roles("VIEWER").build());
		DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
		passwords.setPasswordEncoder(this.encoder);
		return new CachingAuthenticationProvider(passwords,
				new BasicAuthCacheProperties(Duration.ofSeconds(60), maxEntries), this.clock);
	}

	static Authentication login(String user, String password) {
		return UsernamePasswordAuthenticationToken.unauthenticated(user, password);
	}

	@Test
	void aVerifiedPasswordIsNotCheckedAgainWithinTheTtl() {
		Authentication first = this.provider.authenticate(login("alice", "alice-secret"));
		assertThat(this.encoder.matches()).isEqualTo(1);
		Authentication second = this.provider.authenticate(login("alice", "alice-secret"));
		assertThat(this.encoder.matches()).isEqualTo(1);
		assertThat(second.isAuthenticated()).isTrue();
		assertThat(second.getName()).isEqualTo("alice");
		assertThat(second.getCredentials()).isNull();
		assertThat(AuthorityUtils.authorityListToSet(second.getAuthorities()))
			.isEqualTo(AuthorityUtils.authorityListToSet(first.getAuthorities()))
			.contains("ROLE_OPERATOR");
		assertThat(((UserDetails) second.getPrincipal()).getPassword()).as("no password hash kept").isNull();
		this.clock.advance(Duration.ofSeconds(60));
		this.provider.authenticate(login("alice", "alice-secret"));
		assertThat(this.encoder.matches()).as("checked again after the TTL").isEqualTo(2);
	}

	@Test
	void aWrongPasswordIsNeverServedFromTheCache() {
		this.provider.authenticate(login("alice", "alice-secret"));
		for (String wrong : new String[] { "alice-secreT", "alice-secret ", "", "bob-secret" }) {
			int before = this.encoder.matches();
			assertThatExceptionOfType(BadCredentialsException.class)
				.isThrownBy(() -> this.provider.authenticate(login("alice", wrong)));
			assertThat(this.encoder.matches()).as(wrong).isEqualTo(before + 1);
		}
		assertThatExceptionOfType(BadCredentialsException.class)
			.isThrownBy(() -> this.provider.authenticate(login("alice", "alice-secreT")));
		// Another user with the first user's password, or the same characters split
		// differently, is another key.
		assertThatExceptionOfType(BadCredentialsException.class)
			.isThrownBy(() -> this.provider.authenticate(login("bob", "alice-secret")));
		assertThatExceptionOfType(BadCredentialsException.class)
			.isThrownBy(() -> this.provider.authenticate(login("alicea", "lice-secret")));
		assertThat(this.provider.size()).isEqualTo(1);
	}

	@Test
	void theCacheIsBounded() {
		CachingAuthenticationProvider small = provider(1);
		small.authenticate(login("alice", "alice-secret"));
		small.authenticate(login("bob", "bob-secret"));
		assertThat(small.size()).isEqualTo(1);
		int before = this.encoder.matches();
		small.authenticate(login("alice", "alice-secret"));
		assertThat(this.encoder.matches()).isEqualTo(before + 1);
	}

	@Test
	void aZeroTtlTurnsTheCacheOff() {
		InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
				User.withUsername("alice").password(this.encoder.encode("alice-secret")).roles("OPERATOR").build());
		DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
		passwords.setPasswordEncoder(this.encoder);
		CachingAuthenticationProvider off = new CachingAuthenticationProvider(passwords,
				new BasicAuthCacheProperties(Duration.ZERO, 1000), this.clock);
		off.authenticate(login("alice", "alice-secret"));
		off.authenticate(login("alice", "alice-secret"));
		assertThat(this.encoder.matches()).isEqualTo(2);
		assertThat(off.size()).isZero();
	}

}
