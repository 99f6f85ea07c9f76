package io.batchyard.jobs.partition;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.batch.core.partition.PartitionNameProvider;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per segment of a DynamoDB parallel scan: partition {@code i} of
 * {@code gridSize} reads {@code Segment = i} of {@code TotalSegments = gridSize}.
 * DynamoDB assigns every item to one segment by its partition key, so the segments
 * together read the table once.
 */
public class ScanSegmentPartitioner implements Partitioner, PartitionNameProvider {

	/** The partition's segment. */
	public static final String SEGMENT = "dynamodb.scan.segment";

	/** How many segments the scan is split into. */
	public static final String TOTAL_SEGMENTS = "dynamodb.scan.totalSegments";

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		int segment = 0;
		for (String name : JsonlRangePartitioner.names(gridSize)) {
			ExecutionContext context = new ExecutionContext();
			context.putInt(SEGMENT, segment++);
			context.putInt(TOTAL_SEGMENTS, gridSize);
			partitions.put(name, context);
		}
		return partitions;
	}

	@Override
	public Collection<String> getPartitionNames(int gridSize) {
		return JsonlRangePartitioner.names(gridSize);
	}

	/**
	 * The segment of a partition's step execution context, as {@code {segment, total}}.
	 * @param context the context
	 * @return the segment and the total
	 * @throws IllegalStateException if the context holds none
	 */
	public static int[] segment(ExecutionContext context) {
		if (!context.containsKey(SEGMENT) || !context.containsKey(TOTAL_SEGMENTS)) {
			throw new IllegalStateException("The step execution context holds no scan segment (" + SEGMENT + ", "
					+ TOTAL_SEGMENTS + "): this step runs only as a partition");
		}
		return new int[] { context.getInt(SEGMENT), context.getInt(TOTAL_SEGMENTS) };
	}

}
