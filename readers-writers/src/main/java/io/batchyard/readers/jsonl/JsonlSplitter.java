package io.batchyard.readers.jsonl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a JSONL file into byte ranges of about equal size, each starting at a line
 * start, in one sequential read of the file and bounded memory.
 * <p>
 * The file's size is not needed in advance (an S3 object or a blob of unknown length):
 * while reading, the splitter keeps a checkpoint (offset and line number) at the first
 * line start after every multiple of a block size, doubling the block size and dropping
 * every other checkpoint whenever there are too many. At the end the boundaries are the
 * first checkpoints at or after {@code k * size / count}, so a range is at most one block
 * (a few thousandths of the file) away from its share. Always answers {@code count}
 * ranges: on a file with fewer lines than ranges, or one very long line, some are empty.
 */
public final class JsonlSplitter {

	private static final int MAX_CHECKPOINTS = 8192;

	private static final int BUFFER = 64 * 1024;

	private JsonlSplitter() {
	}

	/**
	 * Splits the content into ranges.
	 * @param content the whole file, read to its end (not closed)
	 * @param count how many ranges, at least 1
	 * @return {@code count} consecutive ranges covering the file, in order
	 */
	public static List<JsonlRange> split(InputStream content, int count) {
		if (count < 1) {
			throw new IllegalArgumentException("At least one range is needed, not " + count);
		}
		// checkpoints[2i] = offset of a line start, checkpoints[2i + 1] = its line number
		long[] checkpoints = new long[2 * MAX_CHECKPOINTS];
		int held = 0;
		long block = 1;
		long nextMark = block;
		long offset = 0;
		long line = 1;
		byte[] buffer = new byte[BUFFER];
		try {
			for (int read = content.read(buffer); read >= 0; read = content.read(buffer)) {
				for (int i = 0; i < read; i++) {
					if (buffer[i] != '\n') {
						continue;
					}
					long lineStart = offset + i + 1;
					line++;
					if (lineStart < nextMark) {
						continue;
					}
					if (held == MAX_CHECKPOINTS) {
						// Keep every second checkpoint: about one per doubled block.
						for (int k = 0; k < MAX_CHECKPOINTS / 2; k++) {
							checkpoints[2 * k] = checkpoints[4 * k + 2];
							checkpoints[2 * k + 1] = checkpoints[4 * k + 3];
						}
						held = MAX_CHECKPOINTS / 2;
						block *= 2;
					}
					checkpoints[2 * held] = lineStart;
					checkpoints[2 * held + 1] = line;
					held++;
					nextMark = (lineStart / block + 1) * block;
				}
				offset += read;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the JSONL file at byte " + offset + " to split it", ex);
		}
		long size = offset;
		List<JsonlRange> ranges = new ArrayList<>(count);
		long start = 0;
		long firstLine = 1;
		int next = 0;
		for (int k = 1; k <= count; k++) {
			long end;
			long endLine;
			if (k == count) {
				end = size;
				endLine = line;
			}
			else {
				long target = (long) (((double) size) * k / count);
				while (next < held && (checkpoints[2 * next] < target || checkpoints[2 * next] <= start)) {
					next++;
				}
				// A line start at the very end of the file (after its last newline)
				// starts
				// no line.
				if (next < held && checkpoints[2 * next] < size) {
					end = checkpoints[2 * next];
					endLine = checkpoints[2 * next + 1];
				}
				else {
					end = size;
					endLine = line;
				}
			}
			ranges.add(new JsonlRange(start, end, firstLine));
			start = end;
			firstLine = endLine;
		}
		return ranges;
	}

}
