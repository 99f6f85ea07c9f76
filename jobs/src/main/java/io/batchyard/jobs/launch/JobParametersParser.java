package io.batchyard.jobs.launch;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.springframework.batch.core.converter.JobParametersConverter;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * Reads job parameters in Spring Batch's notation, {@code value} (an identifying String)
 * or {@code value,type[,identifying]}, for every trigger, with two differences from
 * Spring Batch's {@code DefaultJobParametersConverter}: the type must be one of
 * {@link JobParameterTypes} (no class is ever loaded or constructed by name), and the
 * identifying flag must be {@code true} or {@code false}. It also checks the limits of
 * the repository's columns before anything is written, so a launch that could not be
 * stored is refused instead of leaving a job instance without an execution behind.
 */
public final class JobParametersParser implements JobParametersConverter {

	/** {@code BATCH_JOB_EXECUTION_PARAMS.PARAMETER_VALUE} is VARCHAR(2500). */
	public static final int MAX_VALUE_LENGTH = 2500;

	/** {@code BATCH_JOB_EXECUTION_PARAMS.PARAMETER_NAME} is VARCHAR(100). */
	public static final int MAX_NAME_LENGTH = 100;

	/**
	 * No job here takes more than a handful; a launch with more is a mistake or abuse.
	 */
	public static final int MAX_PARAMETERS = 32;

	private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]*");

	/**
	 * Reads parameters, checking every one before any is accepted.
	 * @param parameters name to value in Spring Batch's notation
	 * @return the job parameters
	 * @throws InvalidParameterException naming the first parameter that is refused and
	 * why
	 */
	public JobParameters parse(Map<String, String> parameters) {
		if (parameters.size() > MAX_PARAMETERS) {
			throw new InvalidParameterException(
					"Too many job parameters: " + parameters.size() + " (at most " + MAX_PARAMETERS + ")");
		}
		Set<JobParameter<?>> result = new LinkedHashSet<>();
		// Sorted, so that which parameter is reported first does not depend on map order.
		new TreeMap<>(parameters).forEach((name, notation) -> result.add(parameter(name, notation)));
		return new JobParameters(result);
	}

	@Override
	public JobParameters getJobParameters(Properties properties) {
		Map<String, String> parameters = new TreeMap<>();
		properties.stringPropertyNames().forEach((name) -> parameters.put(name, properties.getProperty(name)));
		return parse(parameters);
	}

	@Override
	public Properties getProperties(JobParameters parameters) {
		Properties properties = new Properties();
		for (JobParameter<?> parameter : parameters) {
			properties.setProperty(parameter.name(), notation(parameter));
		}
		return properties;
	}

	/**
	 * Writes a parameter in the notation {@link #parse} reads.
	 * @param parameter the parameter
	 * @return {@code value,type,identifying}
	 */
	public static String notation(JobParameter<?> parameter) {
		return JobParameterTypes.format(parameter.value()) + "," + parameter.type().getName() + ","
				+ parameter.identifying();
	}

	private static JobParameter<?> parameter(String name, String notation) {
		checkName(name);
		if (notation == null) {
			throw new InvalidParameterException("Parameter '" + name + "' has no value");
		}
		List<String> tokens = tokens(notation);
		if (tokens.size() > 3) {
			throw new InvalidParameterException("Parameter '" + name + "': '" + abbreviate(notation)
					+ "' is neither 'value' nor 'value,type,identifying' (for example '42,java.lang.Long,true')");
		}
		String text = tokens.get(0);
		Class<?> type = String.class;
		if (tokens.size() > 1) {
			type = JobParameterTypes.forName(tokens.get(1).trim());
			if (type == null) {
				throw new InvalidParameterException(
						"Parameter '" + name + "': type '" + abbreviate(tokens.get(1).trim())
								+ "' is not allowed; use one of " + String.join(", ", JobParameterTypes.names()));
			}
		}
		boolean identifying = (tokens.size() < 3) || identifying(name, tokens.get(2).trim());
		if (text.length() > MAX_VALUE_LENGTH) {
			throw new InvalidParameterException("Parameter '" + name + "': value of " + text.length()
					+ " characters is longer than the limit of " + MAX_VALUE_LENGTH);
		}
		Object value;
		try {
			value = JobParameterTypes.parse(text, type);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidParameterException("Parameter '" + name + "': " + ex.getMessage());
		}
		return newParameter(name, value, type, identifying);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static JobParameter<?> newParameter(String name, Object value, Class<?> type, boolean identifying) {
		return new JobParameter(name, value, type, identifying);
	}

	private static void checkName(String name) {
		if (name == null || name.isEmpty()) {
			throw new InvalidParameterException("A job parameter needs a name");
		}
		if (name.length() > MAX_NAME_LENGTH) {
			throw new InvalidParameterException("Parameter name '" + abbreviate(name) + "' is longer than the limit of "
					+ MAX_NAME_LENGTH + " characters");
		}
		if (!NAME.matcher(name).matches()) {
			throw new InvalidParameterException("Parameter name '" + abbreviate(name)
					+ "' is not allowed: use a letter followed by letters, digits, '_', '.' or '-'");
		}
	}

	private static boolean identifying(String name, String flag) {
		if (flag.equals("true")) {
			return true;
		}
		if (flag.equals("false")) {
			return false;
		}
		throw new InvalidParameterException(
				"Parameter '" + name + "': identifying flag '" + abbreviate(flag) + "' must be 'true' or 'false'");
	}

	/**
	 * Splits on commas the way Spring Batch does, but never more than needed to tell
	 * whether there are more than three parts.
	 */
	private static List<String> tokens(String notation) {
		List<String> tokens = new ArrayList<>(4);
		int start = 0;
		while (tokens.size() < 4) {
			int comma = notation.indexOf(',', start);
			if (comma < 0) {
				tokens.add(notation.substring(start));
				break;
			}
			tokens.add(notation.substring(start, comma));
			start = comma + 1;
		}
		return tokens;
	}

	/** Messages repeat what was sent: never a whole oversized value. */
	private static String abbreviate(String text) {
		return (text.length() <= 120) ? text : text.substring(0, 120) + "…";
	}

	/**
	 * A parameter that is refused: the message names it and says why.
	 */
	public static final class InvalidParameterException extends IllegalArgumentException {

		private static final long serialVersionUID = 1L;

		InvalidParameterException(String message) {
			super(message);
		}

	}

}
