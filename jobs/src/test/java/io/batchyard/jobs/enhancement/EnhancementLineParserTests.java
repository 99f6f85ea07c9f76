package io.batchyard.jobs.enhancement;

import java.util.UUID;

import io.batchyard.readers.jsonl.JsonlLine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EnhancementLineParserTests {

	static final UUID R = UUID.fromString("10000000-0000-0000-0000-000000000001");

	private final EnhancementLineParser parser = new EnhancementLineParser(
			EnhancementImportJobConfiguration.resultMapper(), 1024);

	private ResultEntry parse(String text) {
		return this.parser.parse(new JsonlLine(7, 0, text.length(), text, null));
	}

	private String problem(String text) {
		return ((ResultEntry.Unparseable) parse(text)).message();
	}

	@Test
	void blankLinesAreNoEntry() {
		assertThat(parse("   ")).isNull();
	}

	@Test
	void aLinkedRobotErrorCarriesTheRobotsMessage() {
		assertThat(parse("{\"reference_id\":\"" + R + "\",\"message\":\"timeout\"}"))
			.isEqualTo(new ResultEntry.RobotError(7, R, "timeout"));
	}

	@Test
	void exactDuplicatesShareTheirIdWhateverTheKeyOrder() {
		Enhancement a = ((ResultEntry.Added) parse("{\"reference_id\":\"" + R
				+ "\",\"source\":\"s\",\"visibility\":\"public\",\"content\":{\"enhancement_type\":\"abstract\","
				+ "\"process\":\"other\",\"abstract\":\"text\"}}"))
			.enhancement();
		Enhancement b = ((ResultEntry.Added) parse("{\"content\":{\"abstract\":\"text\",\"process\":\"other\","
				+ "\"enhancement_type\":\"abstract\"},\"visibility\":\"public\",\"source\":\"s\",\"reference_id\":\""
				+ R + "\"}"))
			.enhancement();
		Enhancement other = ((ResultEntry.Added) parse("{\"reference_id\":\"" + R
				+ "\",\"source\":\"s\",\"visibility\":\"public\",\"content\":{\"enhancement_type\":\"abstract\","
				+ "\"process\":\"other\",\"abstract\":\"other text\"}}"))
			.enhancement();
		assertThat(a).isEqualTo(b);
		assertThat(a.content())
			.isEqualTo("{\"abstract\":\"text\",\"enhancement_type\":\"abstract\",\"process\":\"other\"}");
		assertThat(other.id()).isNotEqualTo(a.id());
	}

	@Test
	void problemsNameTheField() {
		String base = "{\"reference_id\":\"" + R + "\",\"source\":\"s\",\"visibility\":\"public\",";
		assertThat(problem("[1,2]")).isEqualTo("Entry 7 could not be parsed: a JSON object is required.");
		assertThat(problem("{\"a\":1} {\"b\":2}")).startsWith("Entry 7 could not be parsed: invalid JSON: ");
		assertThat(problem("{\"source\":\"s\",\"visibility\":\"public\",\"content\":{\"enhancement_type\":\"raw\"}}"))
			.isEqualTo("Entry 7 could not be parsed: field 'reference_id' is required.");
		assertThat(problem(base + "\"content\":{\"enhancement_type\":\"abstract\",\"process\":\"other\"}}"))
			.isEqualTo("Entry 7 could not be parsed: field 'content.abstract' is required.");
		assertThat(problem(base.replace("\"public\"", "\"secret\"") + "\"content\":{\"enhancement_type\":\"raw\"}}"))
			.isEqualTo("Entry 7 could not be parsed: field 'visibility' must be one of hidden, public, restricted,"
					+ " not \"secret\".");
		assertThat(problem(base + "\"content\":{\"enhancement_type\":\"annotation\",\"annotations\":[]}}"))
			.isEqualTo("Entry 7 could not be parsed: field 'content.annotations' must have at least 1 item.");
		assertThat(problem(base + "\"content\":{\"enhancement_type\":\"bibliographic\",\"publication_year\":\"x\"}}"))
			.isEqualTo("Entry 7 could not be parsed: field 'content.publication_year' must be an integer.");
		assertThat(problem(base + "\"derived_from\":[\"x\"],\"content\":{\"enhancement_type\":\"raw\"}}"))
			.isEqualTo("Entry 7 could not be parsed: field 'derived_from[0]' must be a UUID.");
		assertThat(problem(base + "\"robot_version\":3,\"content\":{\"enhancement_type\":\"raw\"}}"))
			.isEqualTo("Entry 7 could not be parsed: field 'robot_version' must be a string.");
		assertThat(problem("{\"reference_id\":\"" + R + "\"}"))
			.isEqualTo("Entry 7 could not be parsed: field 'source' is required.");
	}

	@Test
	void referencesAreValidatedWithTheirIdentifiersAndEnhancements() {
		String line = "{\"id\":\"" + R + "\",\"visibility\":\"public\",\"identifiers\":[{\"identifier_type\":\"doi\","
				+ "\"identifier\":\"10.1000/182\"},{\"identifier_type\":\"pm_id\",\"identifier\":123}],"
				+ "\"enhancements\":[{\"source\":\"s\",\"visibility\":\"public\",\"content\":{\"enhancement_type\":"
				+ "\"abstract\",\"process\":\"other\",\"abstract\":\"t\"}}]}";
		Reference reference = this.parser.parseReference(new JsonlLine(1, 0, line.length(), line, null));
		assertThat(reference.id()).isEqualTo(R);
		assertThat(reference.enhancements()).singleElement()
			.satisfies((enhancement) -> assertThat(enhancement.referenceId()).isEqualTo(R));
		String bad = line.replace("10.1000/182", "11.1/x");
		assertThatExceptionOfType(EnhancementLineParser.Invalid.class)
			.isThrownBy(() -> this.parser.parseReference(new JsonlLine(1, 0, bad.length(), bad, null)))
			.withMessageStartingWith("field 'identifiers[0].identifier' must match ");
	}

}
