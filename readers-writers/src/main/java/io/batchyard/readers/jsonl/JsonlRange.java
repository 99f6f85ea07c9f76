package io.batchyard.readers.jsonl;

/**
 * A part of a JSONL file: the lines that start at or after {@code start} and before
 * {@code end}. Both ends are line starts (or the end of the file), so every line of the
 * file belongs to exactly one range of a split.
 *
 * @param start the byte offset of the range's first line
 * @param end the byte offset after the range (the next range's start)
 * @param firstLine the number, in the whole file, of the line starting at {@code start}
 */
public record JsonlRange(long start, long end, long firstLine) {

	public JsonlRange {
		if (start < 0 || end < start) {
			throw new IllegalArgumentException("A range needs 0 <= start <= end, not " + start + ".." + end);
		}
		if (firstLine < 1) {
			throw new IllegalArgumentException("Line numbers start at 1, not " + firstLine);
		}
	}

	/**
	 * Whether no line starts in the range.
	 * @return {@code true} if empty
	 */
	public boolean isEmpty() {
		return this.start == this.end;
	}

}
