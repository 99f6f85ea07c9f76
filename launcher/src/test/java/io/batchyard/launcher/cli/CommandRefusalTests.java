package io.batchyard.launcher.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A first argument that is neither a verb nor a {@code --property=value} setting is a
 * mistyped command: refused with the usage (exit 2), never a server start.
 */
class CommandRefusalTests {

	@Test
	void anUnknownCommandIsRefusedWithTheUsage() {
		assertThat(CommandLine.refusal(new String[] { "frobnicate" }))
			.startsWith("batchyard: unknown command 'frobnicate'")
			.contains(CommandLine.USAGE);
		assertThat(CommandLine.refusal(new String[] { "Start", "repositoryPurgeJob" }))
			.startsWith("batchyard: unknown command 'Start'");
		assertThat(CommandLine.refusal(new String[] { "-h" })).startsWith("batchyard: unknown command '-h'");
		assertThat(CommandLine.EXIT_REFUSED).isEqualTo(2);
	}

	@Test
	void theServersSettingsAndTheVerbsAreNoRefusal() {
		assertThat(CommandLine.refusal(new String[0])).isNull();
		assertThat(CommandLine.refusal(new String[] { "--server.port=0", "--spring.profiles.active=embedded" }))
			.isNull();
		assertThat(CommandLine.refusal(new String[] { "start", "repositoryPurgeJob", "asOf=2026-11-23T00:00:00Z" }))
			.isNull();
		assertThat(CommandLine.refusal(new String[] { "help" })).isNull();
	}

}
