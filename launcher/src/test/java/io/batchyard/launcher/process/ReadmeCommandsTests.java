package io.batchyard.launcher.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How the README's commands are read for {@link ReadmeCommandsIntegrationTests}: as a
 * shell splits them, and never as something other than what they say.
 */
class ReadmeCommandsTests {

	@Test
	void splitsWordsAsAShellDoes() {
		assertThat(ReadmeCommands.split(
				"curl -s -u admin:$PASSWORD -XPOST localhost:8080/api/x/<id> -d '{\"a\": \"$b\"}' \"$PASSWORD x\" # note",
				Map.of("PASSWORD", "s3cret", "id", "42")))
			.containsExactly(List.of("curl", "-s", "-u", "admin:s3cret", "-XPOST", "localhost:8080/api/x/42", "-d",
					"{\"a\": \"$b\"}", "s3cret x"));
		assertThat(ReadmeCommands.split("./mvnw -q package && java -jar app.jar", Map.of()))
			.containsExactly(List.of("./mvnw", "-q", "package"), List.of("java", "-jar", "app.jar"));
	}

	@Test
	void refusesWhatItCannotRunAsWritten() {
		assertThatIllegalStateException().isThrownBy(() -> ReadmeCommands.split("a | b", Map.of()))
			.withMessageContaining("'|'");
		assertThatIllegalStateException().isThrownBy(() -> ReadmeCommands.split("a; b", Map.of()))
			.withMessageContaining("';'");
		assertThatIllegalStateException().isThrownBy(() -> ReadmeCommands.split("echo $(id)", Map.of()))
			.withMessageContaining("uses ''");
		assertThatIllegalStateException().isThrownBy(() -> ReadmeCommands.split("echo $UNSET", Map.of()))
			.withMessageContaining("'UNSET', which the test does not set");
		assertThatIllegalStateException().isThrownBy(() -> ReadmeCommands.split("echo 'open", Map.of()))
			.withMessageContaining("Unclosed '");
	}

	@Test
	void readsTheRunCommandAndTheCommandLineStartFromTheReadme() {
		ReadmeCommands readme = ReadmeCommands.read(Path.of("..", "README.md"));
		assertThat(readme.commands("Two commands", Map.of()))
			.contains(List.of("java", "-jar", "launcher/target/batchyard.jar"));
		assertThat(readme.command("Command line", Map.of(), "java", "-jar", "launcher/target/batchyard.jar", "start"))
			.startsWith("java", "-jar", "launcher/target/batchyard.jar", "start", "repositoryPurgeJob");
		assertThatIllegalStateException().isThrownBy(() -> readme.commands("No such heading", Map.of()))
			.withMessageContaining("no bash block");
	}

}
