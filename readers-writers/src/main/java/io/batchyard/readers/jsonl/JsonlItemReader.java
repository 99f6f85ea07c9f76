package io.batchyard.readers.jsonl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.LongFunction;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads a JSONL file line by line, as {@link JsonlLine}s, never holding more than the
 * maximum line length of one line: a longer line is read to its end but returned as
 * {@link JsonlLine.Defect#TOO_LONG}. Invalid UTF-8 gives
 * {@link JsonlLine.Defect#INVALID_UTF8}; a UTF-8 byte order mark at the start of the file
 * and a {@code \r} before {@code \n} are dropped; a last line without terminator is a
 * line.
 * <p>
 * Keeps its position (byte offset of the next line and its number) in the
 * ExecutionContext under {@code <name>.offset} and {@code <name>.line}; on restart it
 * opens the input at that offset, so it neither re-reads nor re-counts what was
 * committed. The input is a function from a byte offset to a stream starting there (an S3
 * ranged GET, a file channel positioned there).
 * <p>
 * Given a {@link JsonlRange} (a partition of the file, see {@link JsonlSplitter}) it
 * starts at the range's first line, numbers lines as the whole file does, and ends before
 * the first line that starts at or after the range's end: a line belongs to the range
 * where it starts. The saved position is the same pair of keys, so a partition restarts
 * from its own last commit.
 */
public class JsonlItemReader implements ItemStreamReader<JsonlLine> {

	private static final String OFFSET = "offset";

	private static final String LINE = "line";

	private static final int BUFFER = 64 * 1024;

	private final String name;

	private final LongFunction<InputStream> input;

	private final int maxLineLength;

	private final boolean saveState;

	private final JsonlRange range;

	private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
		.onMalformedInput(CodingErrorAction.REPORT)
		.onUnmappableCharacter(CodingErrorAction.REPORT);

	private InputStream stream;

	private final byte[] buffer = new byte[BUFFER];

	private int position;

	private int limit;

	private byte[] line = new byte[1024];

	private long offset;

	private long lineNumber;

	private boolean ended;

	protected JsonlItemReader(Builder builder) {
		this.name = builder.name;
		this.input = builder.input;
		this.maxLineLength = builder.maxLineLength;
		this.saveState = builder.saveState;
		this.range = builder.range;
	}

	public static Builder builder() {
		return new Builder();
	}

	private String key(String suffix) {
		return this.name + "." + suffix;
	}

	@Override
	public void open(ExecutionContext executionContext) {
		String offsetKey = key(OFFSET);
		if (executionContext.containsKey(offsetKey)) {
			this.offset = executionContext.getLong(offsetKey);
			this.lineNumber = executionContext.getLong(key(LINE));
		}
		else if (this.range != null) {
			this.offset = this.range.start();
			this.lineNumber = this.range.firstLine() - 1;
		}
		else {
			this.offset = 0;
			this.lineNumber = 0;
		}
		this.position = 0;
		this.limit = 0;
		this.ended = false;
		this.stream = this.input.apply(this.offset);
	}

	@Override
	public void update(ExecutionContext executionContext) {
		if (this.saveState) {
			executionContext.putLong(key(OFFSET), this.offset);
			executionContext.putLong(key(LINE), this.lineNumber);
		}
	}

	@Override
	public void close() {
		if (this.stream != null) {
			try {
				this.stream.close();
			}
			catch (IOException ex) {
				throw new ItemStreamException("Cannot close the JSONL input", ex);
			}
			finally {
				this.stream = null;
			}
		}
	}

	@Override
	public JsonlLine read() {
		if (this.stream == null) {
			throw new IllegalStateException("The reader is not open");
		}
		if (this.ended) {
			return null;
		}
		if (this.range != null && this.offset >= this.range.end()) {
			this.ended = true;
			return null;
		}
		long start = this.offset;
		long length = 0;
		int held = 0;
		boolean terminated = false;
		boolean any = false;
		while (!terminated) {
			if (this.position == this.limit && !fill()) {
				break;
			}
			any = true;
			int from = this.position;
			int newline = -1;
			for (int i = from; i < this.limit; i++) {
				if (this.buffer[i] == '\n') {
					newline = i;
					break;
				}
			}
			int end = (newline >= 0) ? newline : this.limit;
			int count = end - from;
			held = append(held, from, count);
			length += count;
			this.position = (newline >= 0) ? newline + 1 : this.limit;
			terminated = newline >= 0;
		}
		if (!any) {
			this.ended = true;
			return null;
		}
		this.offset = start + length + (terminated ? 1 : 0);
		this.lineNumber++;
		if (!terminated) {
			this.ended = true;
		}
		if (length > 0 && length == held && this.line[held - 1] == '\r') {
			held--;
			length--;
		}
		int from = 0;
		if (start == 0 && held >= 3 && (this.line[0] & 0xFF) == 0xEF && (this.line[1] & 0xFF) == 0xBB
				&& (this.line[2] & 0xFF) == 0xBF) {
			from = 3;
		}
		if (length - from > this.maxLineLength) {
			return new JsonlLine(this.lineNumber, start, length, null, JsonlLine.Defect.TOO_LONG);
		}
		try {
			CharBuffer chars = this.decoder.reset().decode(ByteBuffer.wrap(this.line, from, held - from));
			return new JsonlLine(this.lineNumber, start, length, chars.toString(), null);
		}
		catch (CharacterCodingException ex) {
			return new JsonlLine(this.lineNumber, start, length, null, JsonlLine.Defect.INVALID_UTF8);
		}
	}

	private int append(int held, int from, int count) {
		// room for a byte order mark and a '\r' besides the longest line
		int room = (int) Math.min((long) count, this.maxLineLength + 4L - held);
		if (room <= 0) {
			return held;
		}
		if (held + room > this.line.length) {
			this.line = Arrays.copyOf(this.line,
					Math.max(held + room, (int) Math.min(this.line.length * 2L, this.maxLineLength + 4L)));
		}
		System.arraycopy(this.buffer, from, this.line, held, room);
		return held + room;
	}

	private boolean fill() {
		try {
			int read = this.stream.read(this.buffer, 0, this.buffer.length);
			while (read == 0) {
				read = this.stream.read(this.buffer, 0, this.buffer.length);
			}
			if (read < 0) {
				return false;
			}
			this.position = 0;
			this.limit = read;
			return true;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the JSONL input at byte " + this.offset, ex);
		}
	}

	/**
	 * Builds a {@link JsonlItemReader}.
	 */
	public static final class Builder {

		private String name;

		private LongFunction<InputStream> input;

		private int maxLineLength = 1024 * 1024;

		private boolean saveState = true;

		private JsonlRange range;

		private Builder() {
		}

		/**
		 * The name that namespaces the reader's keys in the ExecutionContext.
		 * @param name the name
		 * @return this builder
		 */
		public Builder name(String name) {
			this.name = name;
			return this;
		}

		/**
		 * The input: a function from a byte offset to a stream starting at that offset.
		 * @param input the input
		 * @return this builder
		 */
		public Builder input(LongFunction<InputStream> input) {
			this.input = input;
			return this;
		}

		/**
		 * The longest line the reader holds, in bytes (default 1 MiB).
		 * @param maxLineLength the length
		 * @return this builder
		 */
		public Builder maxLineLength(int maxLineLength) {
			this.maxLineLength = maxLineLength;
			return this;
		}

		/**
		 * Reads only the lines that start inside the range, numbered as in the whole file
		 * (default: the whole file).
		 * @param range the range, or {@code null} for the whole file
		 * @return this builder
		 */
		public Builder range(JsonlRange range) {
			this.range = range;
			return this;
		}

		public Builder saveState(boolean saveState) {
			this.saveState = saveState;
			return this;
		}

		public JsonlItemReader build() {
			if (this.saveState && (this.name == null || this.name.isBlank())) {
				throw new IllegalArgumentException("A name is required when saveState is set to true");
			}
			if (this.input == null) {
				throw new IllegalArgumentException("An input is required");
			}
			if (this.maxLineLength < 1) {
				throw new IllegalArgumentException("The maximum line length must be positive");
			}
			return new JsonlItemReader(this);
		}

	}

}
