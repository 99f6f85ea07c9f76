package io.batchyard.launcher;

import io.batchyard.launcher.cli.CommandLine;
import sun.misc.Signal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Batchyard: the job runner's server (REST API, triggers, dashboard) or, when the first
 * argument is a verb ({@code start}, {@code restart}, {@code stop}, {@code abandon},
 * {@code recover}), one command against the shared job repository.
 */
@SpringBootApplication(scanBasePackages = "io.batchyard")
@ConfigurationPropertiesScan("io.batchyard")
public class BatchyardApplication {

	/** Exit status after SIGTERM, as the JVM's own handler reports it (128 + 15). */
	static final int SIGTERM_EXIT = 143;

	/**
	 * Start-up steps kept for {@code /actuator/startup}: a start records about half as
	 * many; beyond this, later steps are dropped, never the process slowed.
	 */
	static final int STARTUP_STEPS = 6000;

	public static void main(String[] args) {
		String refusal = CommandLine.refusal(args);
		if (refusal != null) {
			System.err.println(refusal);
			System.exit(CommandLine.EXIT_REFUSED);
		}
		if (CommandLine.isCommand(args)) {
			System.exit(CommandLine.run(BatchyardApplication.class, args));
		}
		SpringApplication application = new SpringApplication(BatchyardApplication.class);
		// Where a slow start spent its time, for an operator (GET /actuator/startup,
		// OPERATOR role) and the start-up benchmark: bean creation, Flyway, each
		// emulator and the sample data.
		application.setApplicationStartup(new BufferingApplicationStartup(STARTUP_STEPS));
		ConfigurableApplicationContext context = application.run(args);
		closeBeforeShutdownHooksOnSigterm(context);
	}

	/**
	 * Closes the context on SIGTERM before the JVM runs its shutdown hooks. The embedded
	 * H2 ({@code AUTO_SERVER=TRUE}, which rules out {@code DB_CLOSE_ON_EXIT=FALSE})
	 * closes its database in a shutdown hook of its own, concurrently with Spring's:
	 * running executions then could not record STOPPED. Closing first lets the runner
	 * stop them while the database is still open.
	 */
	private static void closeBeforeShutdownHooksOnSigterm(ConfigurableApplicationContext context) {
		Signal.handle(new Signal("TERM"), (signal) -> {
			Thread shutdown = new Thread(() -> {
				try {
					context.close();
				}
				catch (RuntimeException | Error ex) {
					// Still exit with the SIGTERM status: a failure while closing must
					// not turn a terminated process into a clean exit.
					System.err.println("batchyard: error while shutting down: " + ex);
				}
				finally {
					System.exit(SIGTERM_EXIT);
				}
			}, "batchyard-shutdown");
			// Explicitly non-daemon: a new thread inherits the daemon flag of the signal
			// dispatcher that creates it, and a daemon would let the JVM exit with status
			// 0 as soon as the last job and web threads end, before this thread exits
			// 143.
			shutdown.setDaemon(false);
			shutdown.start();
		});
	}

}
