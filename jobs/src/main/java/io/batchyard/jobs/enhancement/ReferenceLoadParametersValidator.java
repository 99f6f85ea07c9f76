package io.batchyard.jobs.enhancement;

import org.springframework.batch.core.job.parameters.DefaultJobParametersValidator;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The parameters of {@code referenceLoadJob}: a String {@code input} (required) and an
 * optional {@code version}; a {@code file:} input only under the allowed directories
 * ({@link ReferenceFiles}). The check lives in the job's validator so that every entry
 * point (HTTP, dashboard, command line, queue, schedule, restart) refuses the same input
 * the same way, before anything is written.
 */
class ReferenceLoadParametersValidator implements JobParametersValidator {

	private final DefaultJobParametersValidator keys = new DefaultJobParametersValidator(
			new String[] { ReferenceLoadJobConfiguration.INPUT }, new String[] { "version" });

	private final ReferenceFiles files;

	ReferenceLoadParametersValidator(ReferenceFiles files) {
		this.files = files;
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		this.keys.validate(parameters);
		JobParameter<?> input = parameters.getParameter(ReferenceLoadJobConfiguration.INPUT);
		if (!(input.value() instanceof String location)) {
			throw new InvalidJobParametersException("Parameter 'input' must be a String (file:<path> or a blob key)");
		}
		if (ReferenceFiles.isFile(location)) {
			try {
				this.files.resolve(location);
			}
			catch (ReferenceFiles.RefusedFileException ex) {
				throw new InvalidJobParametersException(ex.getMessage());
			}
		}
	}

}
