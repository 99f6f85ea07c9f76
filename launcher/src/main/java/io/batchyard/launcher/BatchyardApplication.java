package io.batchyard.launcher;

import io.batchyard.launcher.cli.CommandLine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Batchyard: the job runner's server (REST API, triggers, dashboard) or, when the first
 * argument is a verb ({@code start}, {@code restart}, {@code stop}, {@code abandon},
 * {@code recover}), one command against the shared job repository.
 */
@SpringBootApplication(scanBasePackages = "io.batchyard")
@ConfigurationPropertiesScan("io.batchyard")
public class BatchyardApplication {

	public static void main(String[] args) {
		if (CommandLine.isCommand(args)) {
			System.exit(CommandLine.run(BatchyardApplication.class, args));
		}
		SpringApplication.run(BatchyardApplication.class, args);
	}

}
