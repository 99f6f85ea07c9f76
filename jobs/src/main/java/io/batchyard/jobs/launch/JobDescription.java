package io.batchyard.jobs.launch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * What a job is for and the parameters it reads, declared once next to its configuration
 * as a bean. The job's {@link JobParametersValidator} is {@link #validator()}, built from
 * the same declarations, so the launch form, the API, the command line's {@code help} and
 * the validator every trigger meets cannot disagree. Checks no declaration expresses (a
 * file under an allowed directory) are attached with {@link Builder#check}.
 * <p>
 * Parameters the job does not declare are accepted, as Spring Batch's own
 * {@code DefaultJobParametersValidator} accepts them: the job never reads them.
 */
public final class JobDescription {

	private final String jobName;

	private final String description;

	private final List<ParameterDeclaration> parameters;

	private final List<JobParametersValidator> checks;

	private final JobParametersValidator validator = this::validate;

	private JobDescription(Builder builder) {
		this.jobName = builder.jobName;
		this.description = builder.description;
		this.parameters = List.copyOf(builder.parameters);
		this.checks = List.copyOf(builder.checks);
		for (ParameterDeclaration parameter : this.parameters) {
			if (this.parameters.stream().filter((other) -> other.name().equals(parameter.name())).count() > 1) {
				throw new IllegalArgumentException(this.jobName + " declares '" + parameter.name() + "' twice");
			}
			for (String alternative : parameter.alternatives()) {
				if (parameter(alternative).isEmpty()) {
					throw new IllegalArgumentException(this.jobName + ": '" + parameter.name()
							+ "' names the undeclared parameter '" + alternative + "' as its alternative");
				}
			}
		}
	}

	/**
	 * Starts a description.
	 * @param jobName the job's name, as registered
	 * @param description one line: what the job does
	 * @return a builder
	 */
	public static Builder of(String jobName, String description) {
		return new Builder(jobName, description);
	}

	public String jobName() {
		return this.jobName;
	}

	public String description() {
		return this.description;
	}

	/**
	 * The declared parameters, in the order the job declared them.
	 * @return the parameters
	 */
	public List<ParameterDeclaration> parameters() {
		return this.parameters;
	}

	/**
	 * One declared parameter.
	 * @param name its name
	 * @return the declaration, or empty if the job does not declare it
	 */
	public Optional<ParameterDeclaration> parameter(String name) {
		return this.parameters.stream().filter((parameter) -> parameter.name().equals(name)).findFirst();
	}

	/**
	 * The job's validator: always the same instance, so a test can tell that a job uses
	 * it.
	 * @return the validator
	 */
	public JobParametersValidator validator() {
		return this.validator;
	}

	/**
	 * The message for a required parameter that is missing, the same from every entry
	 * point.
	 * @param parameter the declared parameter
	 * @return the message
	 */
	public String missing(ParameterDeclaration parameter) {
		return missing(this.jobName, parameter,
				parameter.alternatives().stream().map((name) -> parameter(name).orElseThrow()).toList());
	}

	/**
	 * The message for a required parameter that is missing, for code that reads the
	 * parameter without the description at hand.
	 * @param jobName the job
	 * @param parameter the parameter
	 * @param alternatives the declarations of its alternatives
	 * @return the message
	 */
	public static String missing(String jobName, ParameterDeclaration parameter,
			List<ParameterDeclaration> alternatives) {
		StringBuilder message = new StringBuilder(parameter.missingFrom(jobName));
		for (ParameterDeclaration alternative : alternatives) {
			message.append((alternative.setBy() != null)
					? "; " + alternative.setBy() + " pass '" + alternative.name() + "' instead"
					: "; or give '" + alternative.name() + "' instead");
		}
		return message.toString();
	}

	/**
	 * Applies the declarations to a launch's parameters before they are read: a value
	 * given without a type ({@code value}, no comma) gets the declared type and
	 * identifying flag, so {@code customer=42} is the Long the job reads; a missing
	 * parameter with a default gets it (the launch time only when launched by hand),
	 * unless one of its alternatives was given. Explicit notation
	 * ({@code value,type,flag}) is left as given for the validator to judge.
	 * @param given the parameters in Spring Batch's notation
	 * @param byHand whether a person launched the job (API, dashboard, command line)
	 * @param now the launch time
	 * @return the parameters to read
	 */
	public Map<String, String> complete(Map<String, String> given, boolean byHand, Instant now) {
		Map<String, String> completed = new LinkedHashMap<>(given);
		for (ParameterDeclaration parameter : this.parameters) {
			String value = given.get(parameter.name());
			if (value != null && value.indexOf(',') < 0) {
				completed.put(parameter.name(), notation(value, parameter));
			}
			else if (value == null && parameter.defaultValue() != null && parameter.defaultValue().appliesTo(byHand)
					&& parameter.alternatives().stream().noneMatch(given::containsKey)) {
				completed.put(parameter.name(), notation(parameter.defaultValue().value(now), parameter));
			}
		}
		return completed;
	}

	private static String notation(String value, ParameterDeclaration parameter) {
		return value + "," + parameter.type().getName() + "," + parameter.identifying();
	}

	private void validate(JobParameters parameters) throws InvalidJobParametersException {
		checkDeclared(parameters);
		for (JobParametersValidator check : this.checks) {
			check.validate(parameters);
		}
	}

	/**
	 * The validator's checks that the declarations express (presence, type, identifying
	 * flag, format), without the further {@link Builder#check checks}, which may depend
	 * on the moment of the launch (a cut-off against the clock, a file that exists by
	 * then). Start-up checks a schedule's fixed parameters with this.
	 * @param parameters the parameters
	 * @throws InvalidJobParametersException with the message the validator would give
	 */
	public void checkDeclared(JobParameters parameters) throws InvalidJobParametersException {
		if (parameters == null) {
			throw new InvalidJobParametersException(this.jobName + " was given no parameters");
		}
		for (ParameterDeclaration declared : this.parameters) {
			JobParameter<?> parameter = parameters.getParameter(declared.name());
			if (parameter != null) {
				check(declared, parameter);
			}
			else if (declared.required()
					&& declared.alternatives().stream().noneMatch((name) -> parameters.getParameter(name) != null)) {
				throw new InvalidJobParametersException(missing(declared));
			}
		}
	}

	private static void check(ParameterDeclaration declared, JobParameter<?> parameter)
			throws InvalidJobParametersException {
		String name = declared.name();
		if (parameter.type() != declared.type()) {
			throw new InvalidJobParametersException("Parameter '" + name + "' must be a " + declared.type().getName()
					+ ((declared.format() != null) ? " holding " + formatted(declared) : "") + ", not a "
					+ parameter.type().getName());
		}
		if (declared.identifying() && !parameter.identifying()) {
			// Not identifying, a business key would not name the instance: a duplicate
			// message would start a second run instead of finding the first, and a
			// relaunch would start over instead of resuming.
			throw new InvalidJobParametersException("Parameter '" + name
					+ "' must be identifying (it names the job instance): give it as 'value' or 'value,type,true'");
		}
		if (!declared.identifying() && parameter.identifying()) {
			// Identifying, a setting would split one piece of work into several
			// instances: the same batch with another "finished" time would run again.
			throw new InvalidJobParametersException("Parameter '" + name
					+ "' must not be identifying (it does not name the job instance): give it as 'value' or 'value,"
					+ declared.type().getName() + ",false'");
		}
		if (declared.format() != null && !declared.format().accepts((String) parameter.value())) {
			throw new InvalidJobParametersException("Parameter '" + name + "' must be " + formatted(declared)
					+ ", not '" + abbreviate((String) parameter.value()) + "'");
		}
	}

	private static String formatted(ParameterDeclaration declared) {
		return declared.format().description() + ((declared.example() != null) ? " such as " + declared.example() : "");
	}

	private static String abbreviate(String text) {
		return (text.length() <= 120) ? text : text.substring(0, 120) + "…";
	}

	@Override
	public String toString() {
		return "JobDescription[" + this.jobName + ", "
				+ this.parameters.stream().map(ParameterDeclaration::name).toList() + "]";
	}

	/**
	 * Builds a description.
	 */
	public static final class Builder {

		private final String jobName;

		private final String description;

		private final List<ParameterDeclaration> parameters = new ArrayList<>();

		private final List<JobParametersValidator> checks = new ArrayList<>();

		private Builder(String jobName, String description) {
			this.jobName = Objects.requireNonNull(jobName, "jobName");
			this.description = Objects.requireNonNull(description, "description");
		}

		public Builder parameter(ParameterDeclaration parameter) {
			this.parameters.add(parameter);
			return this;
		}

		public Builder parameter(ParameterDeclaration.Builder parameter) {
			return parameter(parameter.build());
		}

		/**
		 * A check beyond the declarations, run after them (so it may rely on every
		 * declared parameter having its type and format).
		 * @param check the check
		 * @return this builder
		 */
		public Builder check(JobParametersValidator check) {
			this.checks.add(check);
			return this;
		}

		public JobDescription build() {
			return new JobDescription(this);
		}

	}

}
