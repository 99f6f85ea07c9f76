package io.batchyard.jobs.enhancement;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The check {@code referenceLoadJob}'s description attaches to its declared parameters: a
 * {@code file:} input only under the allowed directories ({@link ReferenceFiles}). It
 * runs in the job's validator, after the declarations made sure {@code input} is there
 * and a String, so that every entry point (HTTP, dashboard, command line, queue,
 * schedule, restart) refuses the same input the same way, before anything is written.
 */
class ReferenceLoadParametersValidator implements JobParametersValidator {

	private final ReferenceFiles files;

	ReferenceLoadParametersValidator(ReferenceFiles files) {
		this.files = files;
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		JobParameter<?> input = parameters.getParameter(ReferenceLoadJobConfiguration.INPUT);
		if (input != null && input.value() instanceof String location && ReferenceFiles.isFile(location)) {
			try {
				this.files.resolve(location);
			}
			catch (ReferenceFiles.RefusedFileException ex) {
				throw new InvalidJobParametersException(ex.getMessage());
			}
		}
	}

}
