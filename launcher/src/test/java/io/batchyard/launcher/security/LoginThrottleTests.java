package io.batchyard.launcher.security;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LoginThrottle} on a clock the test moves: back-off, its caps, the three keys,
 * the reset on success, known addresses, forgetting, and bounded memory.
 */
class LoginThrottleTests {

	final MutableClock clock = new MutableClock();

	final LoginThrottle throttle = new LoginThrottle(defaults(), this.clock);

	/** The defaults, as Spring Boot binds them from an empty configuration. */
	static LoginThrottleProperties defaults() {
		return new Binder(new MapConfigurationPropertySource()).bindOrCreate("batchyard.security.login-throttle",
				LoginThrottleProperties.class);
	}

	@Test
	void fiveFailuresAreFreeThenEachFailureDoublesTheDelayUpToTheCap() {
		for (int i = 1; i <= 5; i++) {
			assertThat(this.throttle.check("alice", "10.0.0.1").allowed()).isTrue();
			assertThat(this.throttle.failed("alice", "10.0.0.1"))
				.isEqualTo(new LoginThrottle.Failure(i, Duration.ZERO));
		}
		assertThat(this.throttle.failed("alice", "10.0.0.1").delay()).isEqualTo(Duration.ofSeconds(1));
		LoginThrottle.Decision refused = this.throttle.check("alice", "10.0.0.1");
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1));
		assertThat(refused.firstRefusal()).isTrue();
		assertThat(this.throttle.check("alice", "10.0.0.1").firstRefusal()).isFalse();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.throttle.check("alice", "10.0.0.1").allowed()).isTrue();
		long[] expected = { 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300 };
		for (long seconds : expected) {
			assertThat(this.throttle.failed("alice", "10.0.0.1").delay()).isEqualTo(Duration.ofSeconds(seconds));
			assertThat(this.throttle.check("alice", "10.0.0.1").allowed()).isFalse();
			this.clock.advance(Duration.ofSeconds(seconds));
			assertThat(this.throttle.check("alice", "10.0.0.1").allowed()).isTrue();
		}
	}

	@Test
	void aSuccessClearsTheUsersCountAtThatAddress() {
		for (int i = 0; i < 6; i++) {
			this.throttle.failed("alice", "10.0.0.1");
		}
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.throttle.check("alice", "10.0.0.1").allowed()).isTrue();
		this.throttle.succeeded("alice", "10.0.0.1");
		assertThat(this.throttle.failed("alice", "10.0.0.1")).isEqualTo(new LoginThrottle.Failure(1, Duration.ZERO));
		assertThat(this.throttle.check("alice", "10.0.0.1").allowed()).isTrue();
	}

	@Test
	void otherUsersAndAddressesAreNotBlockedByOneUsersFailures() {
		for (int i = 0; i < 6; i++) {
			this.throttle.failed("alice", "10.0.0.1");
		}
		assertThat(this.throttle.check("alice", "10.0.0.1").allowed()).isFalse();
		assertThat(this.throttle.check("ALICE", "10.0.0.1").allowed()).as("user names ignore case").isFalse();
		assertThat(this.throttle.check("bob", "10.0.0.1").allowed()).isTrue();
		assertThat(this.throttle.check("alice", "10.0.0.2").allowed()).isTrue();
	}

	@Test
	void anAddressSprayingUserNamesIsBlockedAfterTwentyFailures() {
		for (int i = 0; i < 20; i++) {
			assertThat(this.throttle.failed("user" + i, "10.0.0.1").delay()).isZero();
		}
		assertThat(this.throttle.failed("user20", "10.0.0.1").delay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.throttle.check("someone-else", "10.0.0.1").allowed()).isFalse();
		assertThat(this.throttle.check("someone-else", "10.0.0.2").allowed()).isTrue();
	}

	@Test
	void aGuesserSpreadOverAddressesIsSlowedPerUserButNeverForLongerThanTheUserCap() {
		for (int i = 0; i < 10; i++) {
			assertThat(this.throttle.failed("admin", "10.0.1." + i).delay()).isZero();
		}
		assertThat(this.throttle.failed("admin", "10.0.1.10").delay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.throttle.check("admin", "10.0.2.1").allowed()).isFalse();
		for (int i = 0; i < 1000; i++) {
			this.clock.advance(Duration.ofMinutes(1));
			this.throttle.failed("admin", "10.1." + (i / 200) + "." + (i % 200));
		}
		LoginThrottle.Decision decision = this.throttle.check("admin", "10.0.2.1");
		assertThat(decision.allowed()).isFalse();
		assertThat(decision.retryAfter()).isEqualTo(Duration.ofSeconds(30));
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.throttle.check("admin", "10.0.2.1").allowed()).isTrue();
	}

	@Test
	void anAttackerElsewhereCannotLockAUserOutOfAnAddressTheyLoggedInFrom() {
		this.throttle.succeeded("admin", "192.168.1.10");
		for (int i = 0; i < 500; i++) {
			this.throttle.failed("admin", "203.0." + (i / 250) + "." + (i % 250));
		}
		assertThat(this.throttle.check("admin", "203.0.9.9").allowed()).isFalse();
		assertThat(this.throttle.check("admin", "192.168.1.10").allowed()).isTrue();
		// Known addresses are not kept for ever.
		this.clock.advance(Duration.ofDays(31));
		for (int i = 0; i < 11; i++) {
			this.throttle.failed("admin", "203.0.3." + i);
		}
		assertThat(this.throttle.check("admin", "192.168.1.10").allowed()).isFalse();
	}

	@Test
	void failuresAreForgottenAnHourAfterTheLast() {
		for (int i = 0; i < 5; i++) {
			this.throttle.failed("alice", "10.0.0.1");
		}
		this.clock.advance(Duration.ofMinutes(61));
		assertThat(this.throttle.failed("alice", "10.0.0.1")).isEqualTo(new LoginThrottle.Failure(1, Duration.ZERO));
	}

	@Test
	void ipv6AddressesCountByTheirSlash64() {
		assertThat(LoginThrottle.client("2001:db8:1:2:aaaa::1")).isEqualTo("20010db800010002::/64");
		assertThat(LoginThrottle.client("2001:db8:1:2:bbbb:cccc:dddd:eeee%eth0")).isEqualTo("20010db800010002::/64");
		assertThat(LoginThrottle.client("::ffff:10.0.0.1")).isEqualTo("10.0.0.1");
		assertThat(LoginThrottle.client("10.0.0.1")).isEqualTo("10.0.0.1");
		assertThat(LoginThrottle.client(null)).isEqualTo("unknown");
		for (int i = 0; i < 20; i++) {
			this.throttle.failed("user" + i, "2001:db8:1:2::" + Integer.toHexString(i + 1));
		}
		this.throttle.failed("user20", "2001:db8:1:2:ffff::9");
		assertThat(this.throttle.check("someone", "2001:db8:1:2:1234::1").allowed()).isFalse();
		assertThat(this.throttle.check("someone", "2001:db8:1:3::1").allowed()).isTrue();
	}

	@Test
	void memoryIsBoundedAndTheKeysUnderAttackStay() {
		LoginThrottleProperties defaults = defaults();
		LoginThrottle small = new LoginThrottle(new LoginThrottleProperties(defaults.userAddressFailures(),
				defaults.addressFailures(), defaults.userFailures(), defaults.firstDelay(), defaults.maxDelay(),
				defaults.userMaxDelay(), defaults.forgetAfter(), defaults.knownAddressLifetime(), 50), this.clock);
		for (int i = 0; i < 25; i++) {
			small.failed("admin", "10.0.0.1");
		}
		for (int i = 0; i < 100_000; i++) {
			small.failed("sprayed-" + i, "172.16." + (i / 250 % 250) + "." + (i % 250));
			assertThat(small.check("admin", "10.0.0.1").allowed()).isFalse();
			if (i % 1000 == 0) {
				small.succeeded("user-" + i, "10.9.9.9");
			}
		}
		assertThat(small.size()).isLessThanOrEqualTo(100);
	}

}
