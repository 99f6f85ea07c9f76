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
 */
public record LaunchRequest(String job, Map<String, String> parameters) {

	public LaunchRequest {
		Objects.requireNonNull(job, "job");
		parameters = (parameters != null) ? Map.copyOf(new LinkedHashMap<>(parameters)) : Map.of();
	}

}
