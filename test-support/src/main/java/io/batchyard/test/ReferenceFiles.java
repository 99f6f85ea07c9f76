package io.batchyard.test;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Writes a reference file for {@code referenceLoadJob} of any size, the same for the same
 * seed: about 440 bytes a line, a bibliographic enhancement per reference; 1% blank
 * lines, 2% invalid (an identifier that is no DOI, broken JSON), and 2% lines naming a
 * reference of an earlier line again with other fields (the later line wins).
 */
public final class ReferenceFiles {

	private static final String[] WORDS = ("school meals literacy cash transfer trial cohort nutrition outcome"
			+ " adherence income mortality review evidence attainment households intervention")
		.split(" ");

	private ReferenceFiles() {
	}

	/**
	 * Writes the file.
	 * @param file where
	 * @param lines how many lines
	 * @param seed the generator's seed
	 */
	public static void write(Path file, int lines, long seed) {
		Random random = new Random(seed);
		List<UUID> ids = new ArrayList<>(lines);
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			for (int number = 1; number <= lines; number++) {
				UUID id = new UUID(random.nextLong(), random.nextLong());
				int kind = random.nextInt(100);
				String visibility = "public";
				if (kind < 2 && !ids.isEmpty()) {
					id = ids.get(random.nextInt(ids.size()));
					visibility = "restricted";
				}
				ids.add(id);
				String line;
				if (kind == 2) {
					line = "";
				}
				else if (kind == 3) {
					line = "{\"id\": \"" + id + "\", \"visibility\": \"public\", \"identifiers\":"
							+ " [{\"identifier_type\": \"doi\", \"identifier\": \"doi:" + number + "\"}]}";
				}
				else if (kind == 4) {
					line = "{\"id\": \"" + id + "\", \"visibility\": ";
				}
				else {
					line = reference(id, visibility, number, random);
				}
				out.write(line);
				out.write('\n');
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + file, ex);
		}
	}

	private static String reference(UUID id, String visibility, int number, Random random) {
		StringBuilder title = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			title.append((i > 0) ? " " : "").append(WORDS[random.nextInt(WORDS.length)]);
		}
		return "{\"id\": \"" + id + "\", \"visibility\": \"" + visibility
				+ "\", \"identifiers\": [{\"identifier_type\":" + " \"doi\", \"identifier\": \"10.1000/ref." + number
				+ "\"}], \"enhancements\": [{\"reference_id\": \"" + id
				+ "\", \"source\": \"bench\", \"visibility\": \"public\", \"robot_version\": null, \"content\":"
				+ " {\"enhancement_type\": \"bibliographic\", \"title\": \"" + title + "\", \"publication_year\": "
				+ (1990 + random.nextInt(35)) + "}}]}";
	}

}
