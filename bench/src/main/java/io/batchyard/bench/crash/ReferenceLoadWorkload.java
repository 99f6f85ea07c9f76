package io.batchyard.bench.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code referenceLoadJob} on a JSONL file of {@value #LINES} references (one enhancement
 * each; every 97th line broken, so the run skips and records lines), in chunks of
 * {@value #CHUNK}. Run {@code n}'s reference ids start with {@code n} in hex, which the
 * end state replaces by {@code RUN}.
 */
final class ReferenceLoadWorkload implements Workload {

	static final String JOB = "referenceLoadJob";

	private static final int LINES = 3000;

	private static final int CHUNK = 25;

	@Override
	public String job() {
		return JOB;
	}

	@Override
	public List<String> settings(Yard yard) {
		return List.of(
				"--batchyard.jobs.reference-load.allowed-directories="
						+ yard.directory().toAbsolutePath().resolve("inputs"),
				"--batchyard.jobs.enhancement-import.chunk-size=" + CHUNK);
	}

	@Override
	public void prepare(Yard yard, int run) {
		Path file = input(yard, run);
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < LINES; i++) {
			String id = id(run, i);
			if (i % 97 == 13) {
				lines.append("{\"id\": \"").append(id).append("\", \"visibility\": \"public\", broken\n");
				continue;
			}
			lines.append("{\"id\": \"")
				.append(id)
				.append("\", \"visibility\": \"public\", \"identifiers\": [{\"identifier_type\": \"doi\", \"identifier\": \"10.1000/campaign.")
				.append(i)
				.append("\"}], \"enhancements\": [{\"reference_id\": \"")
				.append(id)
				.append("\", \"source\": \"crash-campaign\", \"visibility\": \"public\", \"robot_version\": null,"
						+ " \"content\": {\"enhancement_type\": \"bibliographic\", \"title\": \"Trial of intervention ")
				.append(i)
				.append("\", \"publication_year\": ")
				.append(1990 + i % 35)
				.append(", \"authorship\": [{\"display_name\": \"Author ")
				.append(i % 311)
				.append("\", \"orcid\": null, \"position\": \"first\"}]}}]}\n");
		}
		try {
			Files.createDirectories(file.getParent());
			Files.writeString(file, lines, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path input(Yard yard, int run) {
		return yard.directory().toAbsolutePath().resolve("inputs").resolve("references-" + run + ".jsonl");
	}

	@Override
	public Run launch(Node node, Yard yard, int run) {
		String input = "file:" + input(yard, run);
		node.launch(JOB, "{\"input\":\"" + input + "\"}");
		return new Run(run, JOB, "input", input);
	}

	private static String id(int run, int line) {
		return String.format("%08x-0000-4000-8000-%012x", run, line);
	}

	@Override
	public EndState endState(Yard yard, Run run) {
		String prefix = String.format("%08x-", run.number());
		String like = prefix + "%";
		List<String> executions = Campaign.executions(yard, run);
		String in = String.join(",", executions);
		EndState state = new EndState();
		state.add(EndState.ROWS,
				normalise(prefix, yard.lines("SELECT 'reference', CAST(id AS VARCHAR(36)), visibility,"
						+ " CAST(identifiers AS VARCHAR(4000)) FROM reference WHERE CAST(id AS VARCHAR(36)) LIKE ?",
						like)));
		state.add(EndState.ROWS,
				normalise(prefix,
						yard.lines("SELECT 'enhancement', CAST(reference_id AS VARCHAR(36)), enhancement_type,"
								+ " source, visibility, CAST(content AS VARCHAR(4000)) FROM enhancement"
								+ " WHERE CAST(reference_id AS VARCHAR(36)) LIKE ?", like)));
		state.add(EndState.ROWS, normalise(prefix, Campaign.skippedItems(yard, in)));
		state.add(EndState.COUNTS, Campaign.stepCounts(yard, in));
		state.add(EndState.REPORT, normalise(prefix, Campaign.lastExit(yard, executions)));
		return state;
	}

	private static List<String> normalise(String prefix, List<String> lines) {
		return lines.stream().map((line) -> line.replace(prefix, "RUN-")).toList();
	}

	@Override
	public List<Fault> faults(Yard yard) {
		return yard.postgresql() ? List.of(Fault.DATABASE_CONNECTIONS_DROPPED) : List.of();
	}

}
