package io.batchyard.launcher.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Throttles password guessing: counts failed logins under three keys and, past each key's
 * free failures, blocks the key for a delay that doubles with every further failure, up
 * to a cap. A blocked attempt is refused before the password is checked (so it tells
 * nothing and costs no bcrypt).
 * <ul>
 * <li><b>user and address</b>: one user from one address, strict (5 free, up to 5 min);
 * <li><b>address</b>: one address trying any users (20 free, up to 5 min): a sprayer of
 * user names;
 * <li><b>user</b>: one user from all addresses (10 free, up to 30 s): a guesser spread
 * over many addresses. Anybody can fail as anybody, so this key could deny a user the
 * login; its cap is low, and it does not apply from an address where that user logged in
 * before (a known address), so an attacker elsewhere cannot lock {@code admin} out.
 * </ul>
 * A success clears the user-and-address key and makes the address known. It does not
 * clear the address key (someone with one valid account could otherwise clear it between
 * guesses at another) nor the user key (the real user logging in must not reset a
 * distributed guesser's budget); both are forgotten {@code forget-after} after their last
 * failure. Memory is bounded: at most {@code max-entries} keys and known addresses, the
 * least recently used dropped first, which keeps the keys under attack (used at every
 * attempt) and drops a sprayer's one-off names or addresses. IPv6 addresses count by
 * their /64 prefix, the block one subscriber usually holds. In memory, per node.
 */
public class LoginThrottle {

	/** Longer names count by their first characters (real user names are short). */
	private static final int MAX_NAME = 128;

	private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

	private final LoginThrottleProperties properties;

	private final Clock clock;

	private final Map<String, Counter> counters;

	private final Map<String, Long> knownAddresses;

	public LoginThrottle(LoginThrottleProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
		this.counters = lru(properties.maxEntries());
		this.knownAddresses = lru(properties.maxEntries());
	}

	/**
	 * Whether a login may be attempted now.
	 * @param user the user name given
	 * @param address the client's address
	 * @return allowed, or refused with how long to wait
	 */
	public synchronized Decision check(String user, String address) {
		long now = this.clock.millis();
		Keys keys = keys(user, address);
		long wait = 0;
		boolean first = false;
		for (String key : keys.applying(isKnown(keys, now))) {
			Counter counter = current(key, now);
			if (counter != null && counter.blockedUntil > now) {
				wait = Math.max(wait, counter.blockedUntil - now);
				first |= (counter.refusals++ == 0);
			}
		}
		return (wait > 0) ? new Decision(false, Duration.ofMillis(wait), first) : Decision.ALLOWED;
	}

	/**
	 * Counts a failed login.
	 * @param user the user name given
	 * @param address the client's address
	 * @return the failures of this user from this address and the delay now imposed on
	 * them
	 */
	public synchronized Failure failed(String user, String address) {
		long now = this.clock.millis();
		Keys keys = keys(user, address);
		boolean known = isKnown(keys, now);
		int userAddressFailures = count(keys.userAddress, now, this.properties.userAddressFailures(),
				this.properties.maxDelay());
		count(keys.address, now, this.properties.addressFailures(), this.properties.maxDelay());
		count(keys.user, now, this.properties.userFailures(), this.properties.userMaxDelay());
		long wait = 0;
		for (String key : keys.applying(known)) {
			wait = Math.max(wait, this.counters.get(key).blockedUntil - now);
		}
		return new Failure(userAddressFailures, Duration.ofMillis(Math.max(wait, 0)));
	}

	/**
	 * Records a successful login.
	 * @param user the user name
	 * @param address the client's address
	 */
	public synchronized void succeeded(String user, String address) {
		Keys keys = keys(user, address);
		this.counters.remove(keys.userAddress);
		this.knownAddresses.put(keys.userAddress, this.clock.millis());
	}

	/**
	 * How many keys and known addresses are held.
	 * @return the count, at most twice {@code max-entries}
	 */
	public synchronized int size() {
		return this.counters.size() + this.knownAddresses.size();
	}

	private int count(String key, long now, int free, Duration cap) {
		Counter counter = current(key, now);
		if (counter == null) {
			counter = new Counter();
			this.counters.put(key, counter);
		}
		counter.failures++;
		counter.lastFailure = now;
		int over = counter.failures - free;
		if (over > 0) {
			long delay = Math.min(this.properties.firstDelay().toMillis() << Math.min(over - 1, 30), cap.toMillis());
			counter.blockedUntil = Math.max(counter.blockedUntil, now + delay);
			counter.refusals = 0;
		}
		return counter.failures;
	}

	private Counter current(String key, long now) {
		Counter counter = this.counters.get(key);
		if (counter != null && counter.blockedUntil <= now
				&& now - counter.lastFailure > this.properties.forgetAfter().toMillis()) {
			this.counters.remove(key);
			return null;
		}
		return counter;
	}

	private boolean isKnown(Keys keys, long now) {
		Long since = this.knownAddresses.get(keys.userAddress);
		if (since != null && now - since > this.properties.knownAddressLifetime().toMillis()) {
			this.knownAddresses.remove(keys.userAddress);
			return false;
		}
		return since != null;
	}

	private static Keys keys(String user, String address) {
		String name = (user != null) ? user.toLowerCase(Locale.ROOT) : "";
		if (name.length() > MAX_NAME) {
			name = name.substring(0, MAX_NAME);
		}
		String client = client(address);
		return new Keys("u\u0000" + name + "\u0000" + client, "a\u0000" + client, "n\u0000" + name);
	}

	/**
	 * The address a client is counted by: IPv4 as it is, IPv6 by its /64 prefix.
	 * @param address the remote address, a numeric literal
	 * @return the key part
	 */
	static String client(String address) {
		if (address == null || address.isEmpty()) {
			return "unknown";
		}
		int zone = address.indexOf('%');
		String literal = (zone >= 0) ? address.substring(0, zone) : address;
		if (literal.indexOf(':') < 0 || !IP_LITERAL.matcher(literal).matches()) {
			return literal;
		}
		try {
			// A numeric literal only (checked above), so this never asks DNS.
			InetAddress parsed = InetAddress.getByName(literal);
			if (parsed instanceof Inet6Address) {
				byte[] prefix = new byte[8];
				System.arraycopy(parsed.getAddress(), 0, prefix, 0, 8);
				return HexFormat.of().formatHex(prefix) + "::/64";
			}
			return parsed.getHostAddress();
		}
		catch (UnknownHostException ex) {
			return literal;
		}
	}

	private static <V> Map<String, V> lru(int capacity) {
		return new LinkedHashMap<>(16, 0.75f, true) {

			private static final long serialVersionUID = 1L;

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
				return size() > capacity;
			}

		};
	}

	/**
	 * Whether a login may be attempted.
	 *
	 * @param allowed whether it may
	 * @param retryAfter how long to wait when it may not
	 * @param firstRefusal whether this is the first refusal since the block began (worth
	 * a log line; the others are not)
	 */
	public record Decision(boolean allowed, Duration retryAfter, boolean firstRefusal) {

		static final Decision ALLOWED = new Decision(true, Duration.ZERO, false);

	}

	/**
	 * A failure counted.
	 *
	 * @param failures the failures of this user from this address
	 * @param delay how long this user must now wait from this address (zero: none)
	 */
	public record Failure(int failures, Duration delay) {

	}

	private record Keys(String userAddress, String address, String user) {

		String[] applying(boolean known) {
			return known ? new String[] { this.userAddress, this.address }
					: new String[] { this.userAddress, this.address, this.user };
		}

	}

	private static final class Counter {

		int failures;

		long lastFailure;

		long blockedUntil;

		int refusals;

	}

}
