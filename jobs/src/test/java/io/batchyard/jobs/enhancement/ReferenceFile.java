package io.batchyard.jobs.enhancement;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.batchyard.readers.jsonl.JsonlRange;
import io.batchyard.readers.jsonl.JsonlSplitter;

/**
 * A reference file for partitioned loads: valid references with an enhancement each,
 * blank lines, lines that fail to parse or validate, and references named again on a
 * later line (in a later partition) with other fields, so that "the last line wins"
 * depends on the order of the partitions' writes unless the writer orders by line.
 */
final class ReferenceFile {

	/** Line numbers (from 1) that repeat the reference of an earlier line. */
	static final int[][] REPEATS = { { 3, 40 }, { 15, 52 }, { 27, 61 }, { 20, 23 } };

	final List<String> lines = new ArrayList<>();

	final List<UUID> ids = new ArrayList<>();

	final Path path;

	ReferenceFile(Path directory, int count) throws IOException {
		for (int number = 1; number <= count; number++) {
			UUID id = UUID.nameUUIDFromBytes(("reference-" + number).getBytes(StandardCharsets.US_ASCII));
			String visibility = "public";
			for (int[] repeat : REPEATS) {
				if (repeat[1] == number) {
					id = this.ids.get(repeat[0] - 1);
					visibility = "restricted";
				}
			}
			this.ids.add(id);
			String line;
			if (number % 11 == 0) {
				line = "";
			}
			else if (number % 13 == 5) {
				line = "{\"id\": \"" + id + "\", \"visibility\": \"public\", \"identifiers\":"
						+ " [{\"identifier_type\": \"doi\", \"identifier\": \"doi:" + number + "\"}]}";
			}
			else if (number % 17 == 9) {
				line = "{\"id\": \"" + id + "\", \"visibility\": ";
			}
			else {
				line = reference(id, visibility, number);
			}
			this.lines.add(line);
		}
		this.path = directory.resolve("references-" + count + ".jsonl");
		Files.writeString(this.path, String.join("\n", this.lines) + "\n", StandardCharsets.UTF_8);
	}

	static String reference(UUID id, String visibility, int number) {
		return "{\"id\": \"" + id + "\", \"visibility\": \"" + visibility
				+ "\", \"identifiers\": [{\"identifier_type\":" + " \"doi\", \"identifier\": \"10.1000/line." + number
				+ "\"}], \"enhancements\": [{\"reference_id\": \"" + id
				+ "\", \"source\": \"test\", \"visibility\": \"public\", \"robot_version\": null, \"content\":"
				+ " {\"enhancement_type\": \"bibliographic\", \"title\": \"Line " + number
				+ "\", \"publication_year\": " + (1990 + number % 30) + "}}]}";
	}

	String input() {
		return "file:" + this.path;
	}

	/**
	 * The ranges the job's partitioner finds for a grid size.
	 * @param gridSize the grid size
	 * @return the ranges
	 */
	List<JsonlRange> ranges(int gridSize) throws IOException {
		return JsonlSplitter.split(new ByteArrayInputStream(Files.readAllBytes(this.path)), gridSize);
	}

	/**
	 * The partition a line starts in.
	 * @param number the line number
	 * @param gridSize the grid size
	 * @return the partition's index
	 */
	int partitionOf(int number, int gridSize) throws IOException {
		List<JsonlRange> ranges = ranges(gridSize);
		for (int i = ranges.size() - 1; i >= 0; i--) {
			if (!ranges.get(i).isEmpty() && ranges.get(i).firstLine() <= number) {
				return i;
			}
		}
		throw new IllegalStateException("No partition holds line " + number);
	}

}
