package io.batchyard.readers.jsonl;

/**
 * One line of a JSONL file, as read: its number, where it starts and, unless it is
 * defective, its text (without the line terminator, a {@code \r} before it or a byte
 * order mark at the start of the file).
 *
 * @param number the line number, from 1
 * @param offset the byte offset of the line's first byte in the file
 * @param length the line's length in bytes, terminator excluded (also for a line too long
 * to hold)
 * @param text the line's text, or {@code null} when {@code defect} is set
 * @param defect what makes the line unreadable, or {@code null}
 */
public record JsonlLine(long number, long offset, long length, String text, Defect defect) {

	/**
	 * Whether the line holds nothing but white space.
	 * @return {@code true} if blank
	 */
	public boolean isBlank() {
		return this.defect == null && this.text.isBlank();
	}

	/**
	 * What can be wrong with a line before it is even parsed.
	 */
	public enum Defect {

		/** Longer than the reader's maximum line length; its bytes were not kept. */
		TOO_LONG,

		/** Not valid UTF-8. */
		INVALID_UTF8

	}

}
