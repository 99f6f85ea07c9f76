package io.batchyard.jobs.launch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request to start a job, whatever the trigger (HTTP, command line, queue message,
 * schedule).
 *
 * @param job the registered job name
 * @param parameters job parameters in Spring Batch's notation: {@code value} (an
 * identifying String) or {@code value,type,identifying}, for example
 * {@code 42,java.lang.Long,true}
 * @param trigger what asked for it: instances started without a person are restarted
 * automatically by default when they fail
 */
public record LaunchRequest(String job, Map<String, String> parameters, Trigger trigger) {

	public LaunchRequest {
		Objects.requireNonNull(job, "job");
		parameters = (parameters != null) ? Map.copyOf(new LinkedHashMap<>(parameters)) : Map.of();
		trigger = (trigger != null) ? trigger : Trigger.MANUAL;
	}

	/**
	 * A request made by hand (HTTP API, dashboard, command line).
	 * @param job the registered job name
	 * @param parameters job parameters in Spring Batch's notation
	 */
	public LaunchRequest(String job, Map<String, String> parameters) {
		this(job, parameters, Trigger.MANUAL);
	}

	/**
	 * The same request from another trigger.
	 * @param trigger the trigger
	 * @return the request
	 */
	public LaunchRequest from(Trigger trigger) {
		return new LaunchRequest(this.job, this.parameters, trigger);
	}

	/**
	 * What started a launch.
	 */
	public enum Trigger {

		/** A person: the HTTP API, the dashboard, the command line. */
		MANUAL,
		/** A cron schedule. */
		SCHEDULE,
		/** A queue message. */
		QUEUE,
		/** The image batch or robot API, on behalf of their clients. */
		API

	}

}
