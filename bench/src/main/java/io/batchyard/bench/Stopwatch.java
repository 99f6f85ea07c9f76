package io.batchyard.bench;

/**
 * A stopwatch every benchmark uses (the emulators' clients come from
 * {@link io.batchyard.test.EmulatorClients}).
 */
final class Stopwatch {

	private Stopwatch() {
	}

	/**
	 * Seconds since a {@link System#nanoTime()} reading.
	 * @param start the reading
	 * @return the seconds
	 */
	static double seconds(long start) {
		return (System.nanoTime() - start) / 1e9;
	}

}
