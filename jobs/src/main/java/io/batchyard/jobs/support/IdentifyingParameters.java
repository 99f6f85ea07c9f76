package io.batchyard.jobs.support;

import java.util.List;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * Requires a job's business keys to be identifying wherever they are given, then asks the
 * job's own validator. A key sent as non-identifying ({@code ...,false}) would not name
 * the instance: a duplicate message would start a second run instead of finding the
 * first, and a relaunch would start over instead of resuming.
 */
public final class IdentifyingParameters implements JobParametersValidator {

	private final List<String> names;

	private final JobParametersValidator delegate;

	/**
	 * @param delegate the job's own validator
	 * @param names the parameters that must be identifying when present
	 */
	public IdentifyingParameters(JobParametersValidator delegate, String... names) {
		this.delegate = delegate;
		this.names = List.of(names);
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		for (String name : this.names) {
			JobParameter<?> parameter = parameters.getParameter(name);
			if (parameter != null && !parameter.identifying()) {
				throw new InvalidJobParametersException("Parameter '" + name
						+ "' must be identifying (it names the job instance): give it as 'value' or 'value,type,true'");
			}
		}
		this.delegate.validate(parameters);
	}

}
