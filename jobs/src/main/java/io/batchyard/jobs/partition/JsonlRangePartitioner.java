package io.batchyard.jobs.partition;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.batchyard.readers.jsonl.JsonlRange;
import io.batchyard.readers.jsonl.JsonlSplitter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.partition.PartitionNameProvider;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Splits a JSONL file into {@code gridSize} byte ranges aligned to line starts (a line
 * belongs to the partition where it starts), reading it once to find the line starts and
 * number them: each partition's context holds its range and the number of its first line,
 * so the partitions number lines as one reader over the whole file would.
 * <p>
 * Partition names depend on the grid size only ({@code partition0} ...), so a restart
 * finds the partitions of the first run by name without reading the file again; each
 * partition resumes from the offset its reader saved.
 */
public class JsonlRangePartitioner implements Partitioner, PartitionNameProvider {

	/** The byte offset of the partition's first line. */
	public static final String START = "jsonl.range.start";

	/** The byte offset after the partition. */
	public static final String END = "jsonl.range.end";

	/** The line number, in the whole file, of the partition's first line. */
	public static final String FIRST_LINE = "jsonl.range.firstLine";

	private static final Log logger = LogFactory.getLog(JsonlRangePartitioner.class);

	private final Supplier<InputStream> input;

	private final String description;

	/**
	 * @param input opens the whole file
	 * @param description the file, for logs
	 */
	public JsonlRangePartitioner(Supplier<InputStream> input, String description) {
		this.input = input;
		this.description = description;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		List<JsonlRange> ranges;
		try (InputStream in = this.input.get()) {
			ranges = JsonlSplitter.split(in, gridSize);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot split " + this.description, ex);
		}
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		List<String> names = names(gridSize);
		for (int i = 0; i < ranges.size(); i++) {
			JsonlRange range = ranges.get(i);
			ExecutionContext context = new ExecutionContext();
			context.putLong(START, range.start());
			context.putLong(END, range.end());
			context.putLong(FIRST_LINE, range.firstLine());
			partitions.put(names.get(i), context);
		}
		logger.info("Split " + this.description + " into " + ranges.size() + " partitions: " + ranges);
		return partitions;
	}

	@Override
	public Collection<String> getPartitionNames(int gridSize) {
		return names(gridSize);
	}

	/**
	 * The range a partition's step execution context holds.
	 * @param context the context
	 * @return the range
	 * @throws IllegalStateException if the context holds none
	 */
	public static JsonlRange range(ExecutionContext context) {
		if (!context.containsKey(START) || !context.containsKey(END) || !context.containsKey(FIRST_LINE)) {
			throw new IllegalStateException("The step execution context holds no JSONL range (" + START + ", " + END
					+ ", " + FIRST_LINE + "): this step runs only as a partition");
		}
		return new JsonlRange(context.getLong(START), context.getLong(END), context.getLong(FIRST_LINE));
	}

	static List<String> names(int gridSize) {
		List<String> names = new ArrayList<>(gridSize);
		for (int i = 0; i < gridSize; i++) {
			names.add("partition" + i);
		}
		return names;
	}

}
