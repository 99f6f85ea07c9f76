package io.batchyard.readers.jsonl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Ranges of a split read, one reader each, exactly the lines (numbers, offsets, text and
 * defects) of one reader over the whole file.
 */
class JsonlSplitterTests {

	@Test
	void theRangesOfAnySplitReadExactlyTheLinesOfTheWholeFile() throws Exception {
		Random random = new Random(15);
		for (int file = 0; file < 40; file++) {
			byte[] content = randomFile(random, random.nextInt(60), random.nextBoolean(), random.nextBoolean());
			List<JsonlLine> whole = read(content, null);
			for (int count = 1; count <= 9; count++) {
				List<JsonlRange> ranges = JsonlSplitter.split(new ByteArrayInputStream(content), count);
				assertThat(ranges).hasSize(count);
				assertThat(ranges.get(0).start()).isZero();
				assertThat(ranges.get(count - 1).end()).isEqualTo(content.length);
				List<JsonlLine> parts = new ArrayList<>();
				for (int i = 0; i < count; i++) {
					JsonlRange range = ranges.get(i);
					if (i > 0) {
						assertThat(range.start()).isEqualTo(ranges.get(i - 1).end());
					}
					// Every boundary is a line start (or the end of the file).
					assertThat(range.start() == 0 || range.start() == content.length
							|| content[(int) range.start() - 1] == '\n')
						.isTrue();
					parts.addAll(read(content, range));
				}
				assertThat(parts).as("file %d in %d ranges", file, count).isEqualTo(whole);
			}
		}
	}

	@Test
	void rangesOfALargeFileAreAboutEqual() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Random random = new Random(4);
		int lines = 0;
		while (out.size() < 3_000_000) {
			out.writeBytes(("{\"n\":" + lines++ + ",\"pad\":\"" + "x".repeat(random.nextInt(300)) + "\"}\n")
				.getBytes(StandardCharsets.US_ASCII));
		}
		byte[] content = out.toByteArray();
		for (int count : new int[] { 2, 4, 7, 16 }) {
			List<JsonlRange> ranges = JsonlSplitter.split(new ByteArrayInputStream(content), count);
			long share = content.length / count;
			for (JsonlRange range : ranges) {
				assertThat(range.end() - range.start()).isBetween(share - content.length / 500,
						share + content.length / 500);
			}
			// Line numbers of each range's first line, as in the whole file.
			long expected = 1;
			for (JsonlRange range : ranges) {
				assertThat(range.firstLine()).isEqualTo(expected);
				expected += count(content, range.start(), range.end());
			}
			assertThat(expected - 1).isEqualTo(lines);
		}
	}

	@Test
	void moreRangesThanLinesGivesEmptyRangesThatReadNothing() throws Exception {
		byte[] content = "{\"a\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8);
		List<JsonlRange> ranges = JsonlSplitter.split(new ByteArrayInputStream(content), 5);
		assertThat(ranges).hasSize(5);
		assertThat(ranges.stream().filter(JsonlRange::isEmpty).count()).isEqualTo(3);
		assertThat(JsonlSplitter.split(new ByteArrayInputStream(new byte[0]), 3))
			.containsExactly(new JsonlRange(0, 0, 1), new JsonlRange(0, 0, 1), new JsonlRange(0, 0, 1));
		assertThat(read(new byte[0], new JsonlRange(0, 0, 1))).isEmpty();
	}

	@Test
	void aRangeRestartsFromItsOwnSavedOffset() throws Exception {
		byte[] content = "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n{\"d\":4}\n{\"e\":5}\n".getBytes(StandardCharsets.UTF_8);
		JsonlRange range = new JsonlRange(8, 32, 2);
		ExecutionContext context = new ExecutionContext();
		JsonlItemReader first = reader(content, range);
		first.open(context);
		assertThat(first.read().text()).isEqualTo("{\"b\":2}");
		first.update(context);
		first.read();
		first.close();
		assertThat(context.getLong("lines.offset")).isEqualTo(16);
		assertThat(context.getLong("lines.line")).isEqualTo(2);
		JsonlItemReader second = reader(content, range);
		second.open(context);
		assertThat(second.read()).isEqualTo(new JsonlLine(3, 16, 7, "{\"c\":3}", null));
		assertThat(second.read()).isEqualTo(new JsonlLine(4, 24, 7, "{\"d\":4}", null));
		assertThat(second.read()).isNull();
		second.close();
	}

	@Test
	void aSplitNeedsAtLeastOneRange() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JsonlSplitter.split(new ByteArrayInputStream(new byte[0]), 0))
			.withMessage("At least one range is needed, not 0");
		assertThatIllegalArgumentException().isThrownBy(() -> new JsonlRange(5, 4, 1))
			.withMessage("A range needs 0 <= start <= end, not 5..4");
	}

	static byte[] randomFile(Random random, int lines, boolean bom, boolean trailingNewline) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		if (bom) {
			out.writeBytes(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
		}
		for (int i = 0; i < lines; i++) {
			switch (random.nextInt(6)) {
				case 0 -> out.writeBytes(new byte[0]);
				case 1 -> out.writeBytes("x".repeat(random.nextInt(200)).getBytes(StandardCharsets.US_ASCII));
				case 2 -> out.writeBytes(new byte[] { '{', (byte) 0xC3, (byte) 0x28, '}' });
				case 3 -> out.writeBytes(("{\"é\":" + i + "}\r").getBytes(StandardCharsets.UTF_8));
				default -> out.writeBytes(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
			}
			if (i < lines - 1 || trailingNewline) {
				out.write('\n');
			}
		}
		return out.toByteArray();
	}

	static List<JsonlLine> read(byte[] content, JsonlRange range) throws Exception {
		JsonlItemReader reader = reader(content, range);
		reader.open(new ExecutionContext());
		List<JsonlLine> lines = new ArrayList<>();
		for (JsonlLine line = reader.read(); line != null; line = reader.read()) {
			lines.add(line);
		}
		reader.close();
		return lines;
	}

	static JsonlItemReader reader(byte[] content, JsonlRange range) {
		return JsonlItemReader.builder().name("lines").maxLineLength(100).range(range).input((offset) -> {
			int from = (int) Math.min(offset, content.length);
			return new ByteArrayInputStream(content, from, content.length - from);
		}).build();
	}

	static long count(byte[] content, long from, long to) {
		long lines = 0;
		for (long i = from; i < to; i++) {
			if (content[(int) i] == '\n') {
				lines++;
			}
		}
		// a last line without terminator
		if (to == content.length && to > from && content[(int) to - 1] != '\n') {
			lines++;
		}
		return lines;
	}

}
