package io.batchyard.jobs.launch;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON parameter values in Spring Batch's notation: a string stays as written
 * ({@code value} or {@code value,type,identifying}), a whole number becomes an
 * identifying Long, a fraction a Double, a boolean a Boolean. Shared by every trigger
 * that takes JSON (the HTTP API, the SQS launch queue) so they read the same body the
 * same way.
 */
public final class JobParameterValues {

	private JobParameterValues() {
	}

	/**
	 * Converts JSON values to Spring Batch's notation.
	 * @param values the values as a JSON library reads them (String, Number, Boolean)
	 * @return the parameters, in the given order
	 * @throws IllegalArgumentException if a value is null, an object or an array
	 */
	public static Map<String, String> fromJson(Map<String, Object> values) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (values == null) {
			return parameters;
		}
		values.forEach((name, value) -> parameters.put(name, notation(name, value)));
		return parameters;
	}

	private static String notation(String name, Object value) {
		if (value instanceof String text) {
			return text;
		}
		if (value instanceof Boolean bool) {
			return bool + ",java.lang.Boolean";
		}
		if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
			return value + ",java.lang.Long";
		}
		if (value instanceof Number number) {
			BigDecimal decimal = new BigDecimal(number.toString());
			return (decimal.scale() <= 0) ? decimal.toBigInteger() + ",java.lang.Long" : number + ",java.lang.Double";
		}
		throw new IllegalArgumentException("Parameter '" + name + "' must be a string, number or boolean, not "
				+ ((value == null) ? "null" : "an object or array"));
	}

}
