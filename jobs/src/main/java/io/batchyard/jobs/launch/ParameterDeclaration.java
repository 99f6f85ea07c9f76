package io.batchyard.jobs.launch;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One parameter a job reads, as its {@link JobDescription} declares it: the single source
 * of the job's validator, the launch form, {@code GET /api/jobs/{job}} and
 * {@code help <job>}.
 *
 * @param name the parameter's name
 * @param type its type, one of {@link JobParameterTypes}
 * @param required whether a launch without it is refused
 * @param identifying whether it names the job instance (a business key) or only
 * configures the run
 * @param defaultValue what a launch without it gets, or {@code null}
 * @param description one line: what it is and what it changes
 * @param example a valid value, as typed
 * @param format what the value must look like beyond its type, or {@code null}
 * @param alternatives parameters that stand in for this one when it is missing (a
 * schedule's {@code fireTime} for {@code asOf})
 * @param setBy the trigger that sets it ("schedules"), for a parameter nobody types; such
 * a parameter is listed but not offered in launch forms
 */
public record ParameterDeclaration(String name, Class<?> type, boolean required, boolean identifying,
		DefaultValue defaultValue, String description, String example, ValueFormat format, List<String> alternatives,
		String setBy) {

	public ParameterDeclaration {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(description, "description");
		if (!JobParameterTypes.isAllowed(type)) {
			throw new IllegalArgumentException(
					"Parameter '" + name + "': type " + type + " is not one of " + JobParameterTypes.names());
		}
		if (format != null && type != String.class) {
			throw new IllegalArgumentException("Parameter '" + name + "': a format applies to String parameters");
		}
		if (example != null) {
			// A declaration whose own example it would refuse is a bug worth failing
			// start-up for: the example is what the form and the help suggest.
			JobParameterTypes.parse(example, type);
			if (format != null && !format.accepts(example)) {
				throw new IllegalArgumentException(
						"Parameter '" + name + "': example '" + example + "' is not " + format.description());
			}
		}
		alternatives = List.copyOf(alternatives);
	}

	/**
	 * Starts a declaration.
	 * @param name the parameter's name
	 * @param type its type, one of {@link JobParameterTypes}
	 * @return a builder
	 */
	public static Builder named(String name, Class<?> type) {
		return new Builder(name, type);
	}

	/**
	 * The type's short name, as forms and help show it.
	 * @return for example {@code String}, {@code Long}
	 */
	public String typeName() {
		return this.type.getSimpleName();
	}

	/**
	 * Whether a person launching the job types this parameter.
	 * @return {@code false} for one a trigger sets
	 */
	public boolean typedByHand() {
		return this.setBy == null;
	}

	/**
	 * The message every entry point answers when this parameter is missing.
	 * @param jobName the job
	 * @return "{@code job needs the identifying parameter 'x': ...}"
	 */
	public String missingFrom(String jobName) {
		StringBuilder message = new StringBuilder(jobName).append(" needs the ")
			.append(this.identifying ? "identifying " : "")
			.append("parameter '")
			.append(this.name)
			.append("' (")
			.append(typeName())
			.append((this.format != null) ? ", " + this.format.description() : "")
			.append("): ")
			.append(this.description);
		if (this.example != null) {
			message.append(" (for example ").append(this.example).append(")");
		}
		return message.toString();
	}

	/**
	 * A parameter's value when a launch does not give it.
	 *
	 * @param literal the value's text, or {@code null} for the launch time
	 * @param launchTime whether the value is the launch time, which only a launch by hand
	 * gets: a trigger without it (a queue message) is refused instead, since it would
	 * otherwise name a new instance on every redelivery
	 */
	public record DefaultValue(String literal, boolean launchTime) {

		/** The launch time, to the second, as an ISO-8601 instant. */
		public static final DefaultValue NOW = new DefaultValue(null, true);

		public DefaultValue {
			if (literal == null && !launchTime) {
				throw new IllegalArgumentException("A default is a literal or the launch time");
			}
		}

		/**
		 * A fixed default.
		 * @param literal its text
		 * @return the default
		 */
		public static DefaultValue of(String literal) {
			return new DefaultValue(Objects.requireNonNull(literal, "literal"), false);
		}

		/**
		 * The value for a launch.
		 * @param now the launch time
		 * @return its text
		 */
		public String value(Instant now) {
			return this.launchTime ? now.truncatedTo(ChronoUnit.SECONDS).toString() : this.literal;
		}

		/**
		 * For forms and help.
		 * @return the literal, or what the launch time means
		 */
		public String describe() {
			return this.launchTime ? "now (the launch time, when launched by hand)" : this.literal;
		}

		/**
		 * Whether a launch from this trigger gets the default.
		 * @param byHand whether a person launched it
		 * @return {@code true} if it applies
		 */
		public boolean appliesTo(boolean byHand) {
			return byHand || !this.launchTime;
		}

	}

	/**
	 * Builds a declaration; every parameter starts optional, identifying and without a
	 * default.
	 */
	public static final class Builder {

		private final String name;

		private final Class<?> type;

		private boolean required;

		private boolean identifying = true;

		private DefaultValue defaultValue;

		private String description;

		private String example;

		private ValueFormat format;

		private final List<String> alternatives = new ArrayList<>();

		private String setBy;

		private Builder(String name, Class<?> type) {
			this.name = name;
			this.type = type;
		}

		public Builder required() {
			this.required = true;
			return this;
		}

		/**
		 * Configures the run without naming the instance: two launches that differ only
		 * here are the same instance.
		 * @return this builder
		 */
		public Builder notIdentifying() {
			this.identifying = false;
			return this;
		}

		public Builder defaultValue(DefaultValue defaultValue) {
			this.defaultValue = defaultValue;
			return this;
		}

		public Builder description(String description) {
			this.description = description;
			return this;
		}

		public Builder example(String example) {
			this.example = example;
			return this;
		}

		public Builder format(ValueFormat format) {
			this.format = format;
			return this;
		}

		/**
		 * Another declared parameter that satisfies the requirement when this one is
		 * missing.
		 * @param name the other parameter
		 * @return this builder
		 */
		public Builder orInstead(String name) {
			this.alternatives.add(name);
			return this;
		}

		/**
		 * Set by a trigger rather than typed.
		 * @param trigger which one, as a plural noun ("schedules")
		 * @return this builder
		 */
		public Builder setBy(String trigger) {
			this.setBy = trigger;
			return this;
		}

		public ParameterDeclaration build() {
			return new ParameterDeclaration(this.name, this.type, this.required, this.identifying, this.defaultValue,
					this.description, this.example, this.format, this.alternatives, this.setBy);
		}

	}

}
