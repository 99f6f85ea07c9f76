package io.batchyard.readers.jsonl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.batchyard.readers.ItemStreamReaderContract;
import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JsonlItemReaderTests extends ItemStreamReaderContract<JsonlLine> {

	private static final byte[] FILE = "{\"a\":1}\n\n{\"b\":2}\r\n{\"c\":3}".getBytes(StandardCharsets.UTF_8);

	private final AtomicLong lastOffset = new AtomicLong(-1);

	@Override
	protected ItemStreamReader<JsonlLine> newReader() {
		return reader(FILE, 16);
	}

	@Override
	protected int itemCount() {
		return 4;
	}

	private JsonlItemReader reader(byte[] content, int maxLineLength) {
		return JsonlItemReader.builder().name("lines").maxLineLength(maxLineLength).input((offset) -> {
			this.lastOffset.set(offset);
			int from = (int) Math.min(offset, content.length);
			return new ByteArrayInputStream(content, from, content.length - from);
		}).build();
	}

	private List<JsonlLine> readAll(byte[] content, int maxLineLength) throws Exception {
		JsonlItemReader reader = reader(content, maxLineLength);
		reader.open(new ExecutionContext());
		List<JsonlLine> lines = new ArrayList<>();
		for (JsonlLine line = reader.read(); line != null; line = reader.read()) {
			lines.add(line);
		}
		reader.close();
		return lines;
	}

	@Test
	void linesCarryNumberOffsetAndTextWithoutTerminators() throws Exception {
		assertThat(readAll(FILE, 16)).containsExactly(new JsonlLine(1, 0, 7, "{\"a\":1}", null),
				new JsonlLine(2, 8, 0, "", null), new JsonlLine(3, 9, 7, "{\"b\":2}", null),
				new JsonlLine(4, 18, 7, "{\"c\":3}", null));
	}

	@Test
	void restartOpensTheInputAtTheSavedOffset() throws Exception {
		ExecutionContext context = new ExecutionContext();
		JsonlItemReader first = reader(FILE, 16);
		first.open(context);
		first.read();
		first.read();
		first.update(context);
		first.close();
		assertThat(context.getLong("lines.offset")).isEqualTo(9);
		assertThat(context.getLong("lines.line")).isEqualTo(2);
		JsonlItemReader second = reader(FILE, 16);
		second.open(context);
		assertThat(this.lastOffset.get()).isEqualTo(9);
		assertThat(second.read()).isEqualTo(new JsonlLine(3, 9, 7, "{\"b\":2}", null));
		second.close();
	}

	@Test
	void aByteOrderMarkAtTheStartIsDropped() throws Exception {
		byte[] content = "\uFEFF{\"a\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8);
		assertThat(readAll(content, 16)).extracting(JsonlLine::text).containsExactly("{\"a\":1}", "{\"b\":2}");
	}

	@Test
	void aLineLongerThanTheMaximumIsATooLongDefectAndTheNextLineIsRead() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes("x".repeat(200_000).getBytes(StandardCharsets.US_ASCII));
		out.writeBytes("\n{\"ok\":1}\n".getBytes(StandardCharsets.US_ASCII));
		List<JsonlLine> lines = readAll(out.toByteArray(), 1000);
		assertThat(lines).containsExactly(new JsonlLine(1, 0, 200_000, null, JsonlLine.Defect.TOO_LONG),
				new JsonlLine(2, 200_001, 8, "{\"ok\":1}", null));
	}

	@Test
	void aLineOfExactlyTheMaximumIsRead() throws Exception {
		String line = "y".repeat(1000);
		assertThat(readAll((line + "\r\n").getBytes(StandardCharsets.US_ASCII), 1000)).extracting(JsonlLine::text)
			.containsExactly(line);
		assertThat(readAll((line + "z\n").getBytes(StandardCharsets.US_ASCII), 1000)).extracting(JsonlLine::defect)
			.containsExactly(JsonlLine.Defect.TOO_LONG);
	}

	@Test
	void invalidUtf8IsADefectOfThatLineOnly() throws Exception {
		byte[] content = { '{', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n', '{', '}', '\n' };
		assertThat(readAll(content, 100)).containsExactly(new JsonlLine(1, 0, 6, null, JsonlLine.Defect.INVALID_UTF8),
				new JsonlLine(2, 7, 2, "{}", null));
	}

	@Test
	void anEmptyFileHasNoLinesAndATruncatedLastLineIsALine() throws Exception {
		assertThat(readAll(new byte[0], 100)).isEmpty();
		assertThat(readAll("{\"a\":1}\n{\"b\":".getBytes(StandardCharsets.UTF_8), 100)).extracting(JsonlLine::text)
			.containsExactly("{\"a\":1}", "{\"b\":");
	}

	@Test
	void aStateSavingReaderNeedsAName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JsonlItemReader.builder().input((offset) -> InputStream.nullInputStream()).build())
			.withMessage("A name is required when saveState is set to true");
	}

}
