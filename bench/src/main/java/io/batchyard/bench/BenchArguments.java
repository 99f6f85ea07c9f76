package io.batchyard.bench;

/**
 * A benchmark's positional arguments: a bad one ends the benchmark with what is wrong and
 * its usage (exit 2), never a stack trace.
 */
final class BenchArguments {

	private final String benchmark;

	private final String usage;

	private final String[] args;

	/**
	 * @param benchmark the benchmark's name, for the messages
	 * @param usage its usage line
	 * @param args its arguments
	 * @param most how many it takes at most
	 */
	BenchArguments(String benchmark, String usage, String[] args, int most) {
		this.benchmark = benchmark;
		this.usage = usage;
		this.args = args;
		if (args.length > most) {
			throw refuse("at most " + most + " arguments, not " + args.length);
		}
	}

	/**
	 * A whole-number argument.
	 * @param index its position
	 * @param name its name, for the message
	 * @param absent its value when not given
	 * @param least its smallest allowed value
	 * @return the value
	 */
	int count(int index, String name, int absent, int least) {
		if (this.args.length <= index) {
			return absent;
		}
		try {
			return count(this.args[index], name, least);
		}
		catch (IllegalArgumentException ex) {
			throw refuse(ex.getMessage());
		}
	}

	/**
	 * A comma-separated list of whole numbers.
	 * @param index its position
	 * @param name the name of one, for the message
	 * @param absent the list when not given
	 * @param least the smallest allowed value
	 * @return the values
	 */
	int[] counts(int index, String name, String absent, int least) {
		String[] values = text(index, absent).split(",");
		int[] counts = new int[values.length];
		for (int i = 0; i < values.length; i++) {
			try {
				counts[i] = count(values[i], name, least);
			}
			catch (IllegalArgumentException ex) {
				throw refuse(ex.getMessage());
			}
		}
		return counts;
	}

	/**
	 * A text argument.
	 * @param index its position
	 * @param absent its value when not given
	 * @return the value
	 */
	String text(int index, String absent) {
		return (this.args.length > index) ? this.args[index] : absent;
	}

	/**
	 * Ends the benchmark with the message and its usage (exit 2).
	 * @param message what is wrong
	 * @return nothing: the process has exited (to {@code throw} at the call site)
	 */
	IllegalStateException refuse(String message) {
		System.err.println(this.benchmark + ": " + message);
		System.err.println(this.usage);
		System.exit(2);
		return new IllegalStateException(message);
	}

	static int count(String value, String name, int least) {
		int number;
		try {
			number = Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a whole number, not " + value);
		}
		if (number < least) {
			throw new IllegalArgumentException(name + " must be at least " + least + ", not " + number);
		}
		return number;
	}

}
