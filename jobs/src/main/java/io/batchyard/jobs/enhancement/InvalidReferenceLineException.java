package io.batchyard.jobs.enhancement;

/**
 * A line of a reference file that is not a valid {@code Reference}: skipped and recorded.
 */
public class InvalidReferenceLineException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final long line;

	public InvalidReferenceLineException(long line, String problem) {
		super("Entry " + line + " could not be parsed: " + problem + ".");
		this.line = line;
	}

	public long line() {
		return this.line;
	}

}
