package io.batchyard.launcher.security;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Login throttling for the dashboard's form login and the API's HTTP Basic, under
 * {@code batchyard.security.login-throttle} ({@link LoginThrottle}). Failures are counted
 * per user and address, per address and per user; past a key's free failures every
 * further failure blocks the key for a delay that doubles from {@code first-delay},
 * capped.
 *
 * @param userAddressFailures free failures of one user from one address
 * @param addressFailures free failures from one address, whichever users it tries (an
 * office behind one NAT shares it)
 * @param userFailures free failures of one user from every address together (a guesser
 * spread over many addresses)
 * @param firstDelay the first delay past the free failures, doubled for each further
 * failure
 * @param maxDelay the longest delay of the user-and-address and the address keys
 * @param userMaxDelay the longest delay of the user key: kept low, as anybody can fail as
 * anybody, and it does not apply at all from an address where the user logged in before
 * @param forgetAfter a key's failures are forgotten this long after its last failure
 * @param knownAddressLifetime how long an address where a user logged in stays exempt
 * from that user's key
 * @param maxEntries the most keys held (each of the two maps), least recently used
 * dropped first, so an attacker spraying names or addresses cannot grow memory
 */
@Validated
@ConfigurationProperties("batchyard.security.login-throttle")
public record LoginThrottleProperties(@DefaultValue("5") @Min(1) int userAddressFailures,
		@DefaultValue("20") @Min(1) int addressFailures, @DefaultValue("10") @Min(1) int userFailures,
		@DefaultValue("1s") @NotNull Duration firstDelay, @DefaultValue("5m") @NotNull Duration maxDelay,
		@DefaultValue("30s") @NotNull Duration userMaxDelay, @DefaultValue("1h") @NotNull Duration forgetAfter,
		@DefaultValue("30d") @NotNull Duration knownAddressLifetime, @DefaultValue("10000") @Min(10) int maxEntries) {
}
