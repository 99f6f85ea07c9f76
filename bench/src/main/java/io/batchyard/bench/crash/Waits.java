package io.batchyard.bench.crash;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded waiting: every wait of the campaign ends at its trial's deadline, so the
 * campaign stops by itself whatever the product does.
 */
final class Waits {

	private Waits() {
	}

	/**
	 * Sleeps a poll interval, failing once the deadline passed.
	 * @param interval the poll interval
	 * @param deadline {@link System#nanoTime()} deadline
	 * @param what what is waited for, for the message
	 */
	static void pause(Duration interval, long deadline, String what) {
		if (System.nanoTime() > deadline) {
			throw new TrialTimeoutException("Timed out waiting for " + what);
		}
		sleep(interval);
	}

	static void until(BooleanSupplier condition, Duration interval, long deadline, String what) {
		while (!condition.getAsBoolean()) {
			pause(interval, deadline, what);
		}
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A trial or baseline that did not finish within its bound. */
	static final class TrialTimeoutException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		TrialTimeoutException(String message) {
			super(message);
		}

	}

}
