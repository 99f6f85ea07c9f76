package io.batchyard.launcher.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The command-line verbs of Spring Batch 6's {@code CommandLineJobOperator}, run against
 * the shared job repository without the web server, triggers or emulators: <pre>
 * java -jar batchyard.jar start &lt;job&gt; key=value ...
 * java -jar batchyard.jar restart|stop|abandon|recover &lt;executionId&gt;
 * java -jar batchyard.jar help [&lt;job&gt;]
 * </pre>
 */
public final class CommandLine {

	static final Set<String> VERBS = Set.of("start", "restart", "stop", "abandon", "recover", "help");

	static final String PROPERTY_SOURCE = "batchyardCommandLine";

	private CommandLine() {
	}

	/** The exit status of a refused or malformed command. */
	public static final int EXIT_REFUSED = CommandRunner.EXIT_ERROR;

	static final String USAGE = "Usage: start <job> [key=value ...] | restart|stop|abandon|recover <executionId>"
			+ " | help [<job>]";

	public static boolean isCommand(String[] args) {
		return args.length > 0 && VERBS.contains(args[0]);
	}

	/**
	 * Why the arguments are neither a command nor a server's: the server takes only
	 * {@code --property=value} settings, so a first argument that is not one is a
	 * command, and one that is no verb is a mistyped one (without this the server
	 * started, and failed on the ports of the one already running).
	 * @param args all arguments
	 * @return the refusal with the usage, or {@code null} when the arguments are fine
	 */
	public static String refusal(String[] args) {
		if (args.length == 0 || args[0].startsWith("--") || VERBS.contains(args[0])) {
			return null;
		}
		return "batchyard: unknown command '" + args[0] + "': the server takes only --property=value settings\n"
				+ USAGE;
	}

	/**
	 * Runs one command in a non-web application context.
	 * @param source the application class
	 * @param args the verb and its arguments, then optional {@code --property=value}
	 * settings
	 * @return the exit code: 0 when the command succeeded (see {@link CommandRunner})
	 */
	public static int run(Class<?> source, String[] args) {
		SpringApplication application = new SpringApplication(source);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.addListeners(new CommandLineSettings());
		application.setLogStartupInfo(false);
		try (ConfigurableApplicationContext context = application.run(args)) {
			return SpringApplication.exit(context);
		}
		catch (RuntimeException ex) {
			System.err.println("batchyard: " + ex.getMessage());
			return CommandRunner.EXIT_ERROR;
		}
	}

	/**
	 * What a command never runs, whatever the profile says: the embedded profile turns
	 * the emulators, their provisioning and the sample data on for the server, and a
	 * command next to a running server would otherwise try to bind the server's ports, or
	 * start emulators of its own that nothing would ever use.
	 * @return the settings
	 */
	static Map<String, Object> commandLineSettings() {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("batchyard.runner.role", "cli");
		settings.put("batchyard.launcher.sqs.enabled", "false");
		settings.put("batchyard.scheduler.enabled", "false");
		settings.put("batchyard.embedded.sqs.enabled", "false");
		settings.put("batchyard.embedded.dynamodb.enabled", "false");
		settings.put("batchyard.embedded.sns.enabled", "false");
		settings.put("batchyard.embedded.postingest.provision", "false");
		settings.put("batchyard.embedded.image-ingest.create-queue", "false");
		settings.put("spring.main.banner-mode", "off");
		return settings;
	}

	/**
	 * Puts {@link #commandLineSettings()} above every other property source once the
	 * configuration files are read. Default properties would rank below them, and the
	 * embedded profile's {@code application-embedded.properties} turns the emulators on.
	 */
	private static final class CommandLineSettings implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

		@Override
		public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
			event.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource(PROPERTY_SOURCE, commandLineSettings()));
		}

	}

	/**
	 * The verb and its positional arguments (settings such as {@code --x=y} are
	 * Spring's).
	 * @param args all arguments
	 * @return the positional ones
	 */
	static List<String> positional(String[] args) {
		return Arrays.stream(args).filter((arg) -> !arg.startsWith("--")).toList();
	}

}
