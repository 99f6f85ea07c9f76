package io.batchyard.launcher.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.launch.ParameterDeclaration;
import io.batchyard.launcher.catalogue.JobCatalogue;
import io.batchyard.launcher.catalogue.JobTriggers;
import io.batchyard.launcher.launch.LaunchRefusedException;

/**
 * {@code help} and {@code help <job>}: the jobs with one line each, or one job's
 * description, declared parameters and schedules, from the same declarations its
 * validator is built from.
 */
class JobHelp {

	private final JobCatalogue catalogue;

	private final JobTriggers triggers;

	JobHelp(JobCatalogue catalogue, JobTriggers triggers) {
		this.catalogue = catalogue;
		this.triggers = triggers;
	}

	/**
	 * Prints the jobs, one line each.
	 * @param out where to
	 */
	void jobs(PrintStream out) {
		List<String> names = this.catalogue.jobNames();
		int width = names.stream().mapToInt(String::length).max().orElse(0);
		out.println("Jobs (java -jar batchyard.jar help <job> for its parameters):");
		for (String name : names) {
			out.println("  " + pad(name, width) + "  " + this.catalogue.summary(name));
		}
		out.println();
		out.println("Verbs: start <job> [name=value ...] | restart|stop|abandon|recover <executionId> | help [<job>]");
	}

	/**
	 * Prints one job's description, parameters and schedules.
	 * @param job the job
	 * @param out where to
	 * @throws LaunchRefusedException if no such job is registered
	 */
	void job(String job, PrintStream out) {
		if (!this.catalogue.isRegistered(job)) {
			throw new LaunchRefusedException(LaunchRefusedException.Reason.UNKNOWN_JOB,
					"No job named '" + job + "'; known jobs: " + this.catalogue.jobNames());
		}
		out.println(job + ": " + this.catalogue.summary(job));
		JobDescription description = this.catalogue.description(job).orElse(null);
		List<ParameterDeclaration> parameters = (description != null) ? description.parameters() : List.of();
		out.println();
		if (parameters.isEmpty()) {
			out.println("Parameters: none declared.");
		}
		else {
			out.println("Parameters (name=value; a value takes the declared type, or give value,type,identifying):");
			int width = parameters.stream().mapToInt((parameter) -> parameter.name().length()).max().orElse(0);
			for (ParameterDeclaration parameter : parameters) {
				out.println("  " + pad(parameter.name(), width) + "  " + facts(parameter));
				out.println("  " + pad("", width) + "  " + parameter.description());
			}
		}
		List<JobTriggers.Schedule> schedules = this.triggers.schedules(job);
		if (!schedules.isEmpty()) {
			out.println();
			out.println("Schedules:");
			for (JobTriggers.Schedule schedule : schedules) {
				out.println("  " + schedule.name() + "  " + schedule.cron()
						+ ((schedule.nextFireTime() != null) ? "  next " + schedule.nextFireTime() : "  (disabled)"));
			}
		}
		List<JobTriggers.Queue> queues = this.triggers.queues(job).stream().filter((queue) -> !queue.anyJob()).toList();
		if (!queues.isEmpty()) {
			out.println();
			out.println("Queue triggers: " + queues.stream()
				.map((queue) -> queue.name() + " (" + queue.queue() + ")")
				.collect(Collectors.joining(", ")));
		}
		out.println();
		out.println("Example: java -jar batchyard.jar start " + job + example(parameters));
	}

	private static String facts(ParameterDeclaration parameter) {
		StringBuilder facts = new StringBuilder(parameter.typeName());
		if (parameter.format() != null) {
			facts.append(" (").append(parameter.format().description()).append(")");
		}
		facts.append(parameter.required() ? ", required" : ", optional");
		if (!parameter.alternatives().isEmpty()) {
			facts.append(" unless ").append(String.join(" or ", parameter.alternatives())).append(" is given");
		}
		facts.append(parameter.identifying() ? ", identifying" : ", not identifying");
		if (parameter.defaultValue() != null) {
			facts.append(", default ").append(parameter.defaultValue().describe());
		}
		if (parameter.setBy() != null) {
			facts.append(", set by ").append(parameter.setBy());
		}
		if (parameter.example() != null) {
			facts.append(", e.g. ").append(parameter.example());
		}
		return facts.toString();
	}

	private static String example(List<ParameterDeclaration> parameters) {
		return parameters.stream()
			.filter((parameter) -> parameter.required() && parameter.typedByHand() && parameter.example() != null)
			.map((parameter) -> " " + parameter.name() + "=" + parameter.example())
			.collect(Collectors.joining());
	}

	private static String pad(String text, int width) {
		return text + " ".repeat(Math.max(0, width - text.length()));
	}

}
