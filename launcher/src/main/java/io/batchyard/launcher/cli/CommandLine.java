package io.batchyard.launcher.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

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

	private CommandLine() {
	}

	public static boolean isCommand(String[] args) {
		return args.length > 0 && VERBS.contains(args[0]);
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
		application.setDefaultProperties(commandLineDefaults());
		application.setLogStartupInfo(false);
		try (ConfigurableApplicationContext context = application.run(args)) {
			return SpringApplication.exit(context);
		}
		catch (RuntimeException ex) {
			System.err.println("batchyard: " + ex.getMessage());
			return CommandRunner.EXIT_ERROR;
		}
	}

	static Map<String, Object> commandLineDefaults() {
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("batchyard.runner.role", "cli");
		defaults.put("batchyard.launcher.sqs.enabled", "false");
		defaults.put("batchyard.scheduler.enabled", "false");
		defaults.put("batchyard.embedded.sqs.enabled", "false");
		defaults.put("batchyard.embedded.dynamodb.enabled", "false");
		defaults.put("spring.main.banner-mode", "off");
		return defaults;
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
