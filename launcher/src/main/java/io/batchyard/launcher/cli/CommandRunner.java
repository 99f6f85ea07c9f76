package io.batchyard.launcher.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.launcher.catalogue.JobCatalogue;
import io.batchyard.launcher.catalogue.JobTriggers;
import io.batchyard.launcher.executions.ExitDescriptions;
import io.batchyard.launcher.launch.ExecutionAction;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Runs the command-line verb and prints the resulting execution. Exit codes:
 * {@code start} and {@code restart} exit 0 only when the execution COMPLETED;
 * {@code stop}, {@code abandon} and {@code recover} exit 0 when the execution reached the
 * state the verb asks for (STOPPED, ABANDONED, FAILED); {@code help} exits 0. 1: the
 * execution ended otherwise; 2: the command was refused or malformed.
 */
@Component
@ConditionalOnProperty(name = "batchyard.runner.role", havingValue = "cli")
class CommandRunner implements ApplicationRunner, ExitCodeGenerator {

	static final int EXIT_OK = 0;

	static final int EXIT_NOT_COMPLETED = 1;

	static final int EXIT_ERROR = 2;

	private static final Duration STOP_WAIT = Duration.ofMinutes(5);

	private final JobLaunchService launchService;

	private final JobHelp help;

	private final PrintStream out = System.out;

	private int exitCode = EXIT_ERROR;

	CommandRunner(JobLaunchService launchService, JobCatalogue catalogue, JobTriggers triggers) {
		this.launchService = launchService;
		this.help = new JobHelp(catalogue, triggers);
	}

	@Override
	public void run(ApplicationArguments arguments) {
		List<String> args = CommandLine.positional(arguments.getSourceArgs());
		try {
			this.exitCode = execute(args);
		}
		catch (LaunchRefusedException ex) {
			this.out.println("Refused: " + ex.getMessage());
			this.exitCode = EXIT_ERROR;
		}
		catch (IllegalArgumentException ex) {
			this.out.println(ex.getMessage());
			this.out.println(CommandLine.USAGE);
			this.exitCode = EXIT_ERROR;
		}
	}

	private int execute(List<String> args) {
		String verb = args.get(0);
		if (verb.equals("help")) {
			if (args.size() > 2) {
				throw new IllegalArgumentException("help takes at most one job name");
			}
			if (args.size() == 2) {
				this.help.job(args.get(1), this.out);
			}
			else {
				this.help.jobs(this.out);
			}
			return EXIT_OK;
		}
		if (verb.equals("start")) {
			if (args.size() < 2) {
				throw new IllegalArgumentException("start needs a job name");
			}
			JobExecution execution = this.launchService.launch(new LaunchRequest(args.get(1), parameters(args)));
			return report(execution, BatchStatus.COMPLETED);
		}
		if (args.size() != 2) {
			throw new IllegalArgumentException(verb + " needs exactly one execution id");
		}
		long id;
		try {
			id = Long.parseLong(args.get(1));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Not an execution id: '" + args.get(1) + "'");
		}
		ExecutionAction action = ExecutionAction.fromPath(verb);
		JobExecution result = this.launchService.act(id, action);
		return switch (action) {
			case RESTART -> report(result, BatchStatus.COMPLETED);
			case STOP -> report(awaitEnd(id), BatchStatus.STOPPED);
			case ABANDON -> report(result, BatchStatus.ABANDONED);
			case RECOVER -> report(result, BatchStatus.FAILED);
		};
	}

	private JobExecution awaitEnd(long id) {
		Instant deadline = Instant.now().plus(STOP_WAIT);
		JobExecution execution = this.launchService.execution(id);
		while (execution.getStatus().isRunning() && Instant.now().isBefore(deadline)) {
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			execution = this.launchService.execution(id);
		}
		return execution;
	}

	private int report(JobExecution execution, BatchStatus expected) {
		String description = ExitDescriptions.summary(execution.getExitStatus().getExitDescription());
		this.out.println(execution.getJobInstance().getJobName() + " execution " + execution.getId() + ": "
				+ execution.getStatus() + ((description == null || description.isBlank()) ? "" : " - " + description));
		return (execution.getStatus() == expected) ? EXIT_OK : EXIT_NOT_COMPLETED;
	}

	private static Map<String, String> parameters(List<String> args) {
		Map<String, String> parameters = new LinkedHashMap<>();
		for (String arg : args.subList(2, args.size())) {
			int equals = arg.indexOf('=');
			if (equals <= 0) {
				throw new IllegalArgumentException("Job parameters are key=value, not '" + arg + "'");
			}
			parameters.put(arg.substring(0, equals), arg.substring(equals + 1));
		}
		return parameters;
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
