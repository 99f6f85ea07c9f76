package io.batchyard.launcher.catalogue;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.launch.JobParametersParser;
import io.batchyard.jobs.launch.LaunchRequest;

import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The registered jobs and what each declares about itself ({@link JobDescription} beans,
 * one next to each job's configuration): the one place the launch service, the API, the
 * dashboard and the command line's {@code help} read a job's description and parameters
 * from.
 */
public class JobCatalogue {

	private final JobRegistry jobRegistry;

	private final Map<String, JobDescription> descriptions = new TreeMap<>();

	private final Clock clock;

	private final JobParametersParser parser = new JobParametersParser();

	public JobCatalogue(JobRegistry jobRegistry, ObjectProvider<JobDescription> descriptions, Clock clock) {
		this.jobRegistry = jobRegistry;
		this.clock = clock;
		descriptions.orderedStream().forEach((description) -> {
			JobDescription previous = this.descriptions.put(description.jobName(), description);
			if (previous != null) {
				throw new IllegalStateException("Two job descriptions for " + description.jobName());
			}
		});
	}

	/**
	 * The registered jobs' names.
	 * @return sorted
	 */
	public List<String> jobNames() {
		return this.jobRegistry.getJobNames().stream().sorted().toList();
	}

	/**
	 * Whether a job is registered.
	 * @param job the job
	 * @return {@code true} if it can be launched
	 */
	public boolean isRegistered(String job) {
		return this.jobRegistry.getJob(job) != null;
	}

	/**
	 * What a job declares about itself.
	 * @param job the job
	 * @return its description, or empty for a job that declares none
	 */
	public Optional<JobDescription> description(String job) {
		return Optional.ofNullable(this.descriptions.get(job));
	}

	/**
	 * A job's one-line description for lists.
	 * @param job the job
	 * @return the line, or a note that it has none
	 */
	public String summary(String job) {
		return description(job).map(JobDescription::description).orElse("(no description declared)");
	}

	/**
	 * Applies a job's declarations to a launch's parameters: declared types and flags for
	 * bare values, defaults for missing ones (see {@link JobDescription#complete}).
	 * @param request the launch
	 * @return the parameters to read, in Spring Batch's notation
	 */
	public Map<String, String> complete(LaunchRequest request) {
		return description(request.job())
			.map((description) -> description.complete(request.parameters(),
					request.trigger() == LaunchRequest.Trigger.MANUAL, this.clock.instant()))
			.orElse(request.parameters());
	}

	/**
	 * What the job's declarations say against a launch, before it happens: for
	 * configuration that launches later (a schedule's fixed parameters), so that a
	 * mistake stops start-up instead of failing each fire. The checks that depend on the
	 * moment of the launch are left to the launch ({@link JobDescription#checkDeclared}).
	 * @param request the launch as the trigger will make it
	 * @return the refusal, worded as the launch would word it, or empty if the
	 * declarations accept it
	 */
	public Optional<String> refusal(LaunchRequest request) {
		if (!isRegistered(request.job())) {
			return Optional.of("No job named '" + request.job() + "'; known jobs: " + jobNames());
		}
		try {
			JobParameters parameters = this.parser.parse(complete(request));
			Optional<JobDescription> description = description(request.job());
			if (description.isPresent()) {
				description.get().checkDeclared(parameters);
			}
			return Optional.empty();
		}
		catch (InvalidJobParametersException | IllegalArgumentException ex) {
			return Optional.of(ex.getMessage());
		}
	}

}
