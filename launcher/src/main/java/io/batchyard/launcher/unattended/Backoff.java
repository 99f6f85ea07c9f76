package io.batchyard.launcher.unattended;

import java.time.Duration;

/**
 * The doubling back-off shared by automatic restarts and notification deliveries.
 */
final class Backoff {

	private Backoff() {
	}

	/**
	 * The wait before an attempt.
	 * @param first the wait before the first attempt
	 * @param attempt 1 for the first attempt
	 * @param cap the longest wait
	 * @return {@code first × 2^(attempt-1)}, at most {@code cap}
	 */
	static Duration doubling(Duration first, int attempt, Duration cap) {
		Duration wait = first;
		for (int i = 1; i < attempt && wait.compareTo(cap) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(cap) > 0) ? cap : wait;
	}

}
