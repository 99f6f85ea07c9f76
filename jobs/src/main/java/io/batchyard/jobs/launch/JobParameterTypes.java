package io.batchyard.jobs.launch;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The only types a job parameter may have, and how each is read from and written as text.
 * Spring Batch's own notation names the type by class and converts the value with that
 * class's one-String constructor, so an open type would let whoever can launch a job
 * construct any class on the server. Every entry point (HTTP, dashboard, queue messages,
 * command line, schedules) and the job repository's read-back go through this list; a
 * type name outside it is never loaded.
 */
public final class JobParameterTypes {

	private static final Map<String, Type<?>> ALLOWED = new LinkedHashMap<>();

	static {
		register(String.class, Function.identity(), String::valueOf);
		register(Long.class, Long::valueOf, String::valueOf);
		register(Double.class, Double::valueOf, String::valueOf);
		register(Boolean.class, JobParameterTypes::strictBoolean, String::valueOf);
		register(Instant.class, Instant::parse, Instant::toString);
		register(LocalDate.class, LocalDate::parse, LocalDate::toString);
		register(LocalDateTime.class, LocalDateTime::parse, LocalDateTime::toString);
		register(LocalTime.class, LocalTime::parse, LocalTime::toString);
		// As Spring Batch writes a Date: an ISO-8601 instant.
		register(Date.class, (text) -> Date.from(Instant.parse(text)), (date) -> date.toInstant().toString());
	}

	private JobParameterTypes() {
	}

	private static <T> void register(Class<T> type, Function<String, T> parser, Function<T, String> formatter) {
		ALLOWED.put(type.getName(), new Type<>(type, parser, formatter));
	}

	/**
	 * The allowed type names, in a stable order for messages.
	 * @return the fully qualified class names
	 */
	public static Set<String> names() {
		return ALLOWED.keySet();
	}

	/**
	 * Whether a type may be used.
	 * @param type the type
	 * @return {@code true} for an allowed type
	 */
	public static boolean isAllowed(Class<?> type) {
		return type != null && ALLOWED.containsKey(type.getName()) && ALLOWED.get(type.getName()).type() == type;
	}

	/**
	 * Looks a type up by its name without loading any class.
	 * @param name a fully qualified class name as written in a parameter or the
	 * repository
	 * @return the type, or {@code null} if it is not allowed
	 */
	public static Class<?> forName(String name) {
		Type<?> type = (name != null) ? ALLOWED.get(name) : null;
		return (type != null) ? type.type() : null;
	}

	/**
	 * Reads a value of an allowed type from its text.
	 * @param text the text
	 * @param type an allowed type
	 * @return the value
	 * @throws IllegalArgumentException if the type is not allowed or the text is not a
	 * value of it (the message says which and shows the expected form)
	 */
	public static Object parse(String text, Class<?> type) {
		Type<?> allowed = type(type);
		try {
			return allowed.parser().apply(text);
		}
		catch (NumberFormatException | DateTimeException ex) {
			throw new IllegalArgumentException(
					"'" + text + "' is not a " + type.getSimpleName() + " (for example " + example(type) + ")");
		}
	}

	/**
	 * Writes a value of an allowed type as the text {@link #parse} reads.
	 * @param value the value
	 * @return its text
	 */
	@SuppressWarnings("unchecked")
	public static String format(Object value) {
		Type<Object> allowed = (Type<Object>) type(value.getClass());
		return allowed.formatter().apply(value);
	}

	private static Type<?> type(Class<?> type) {
		if (!isAllowed(type)) {
			throw new IllegalArgumentException(
					"type '" + ((type != null) ? type.getName() : null) + "' is not allowed; use one of " + names());
		}
		return ALLOWED.get(type.getName());
	}

	private static Boolean strictBoolean(String text) {
		// Boolean.valueOf reads anything but "true" as false: a typo would silently flip
		// it.
		if ("true".equalsIgnoreCase(text)) {
			return Boolean.TRUE;
		}
		if ("false".equalsIgnoreCase(text)) {
			return Boolean.FALSE;
		}
		throw new IllegalArgumentException("'" + text + "' is not a Boolean (true or false)");
	}

	private static String example(Class<?> type) {
		return switch (type.getSimpleName()) {
			case "Long" -> "42";
			case "Double" -> "0.5";
			case "Instant", "Date" -> "2026-11-23T03:30:00Z";
			case "LocalDate" -> "2026-11-23";
			case "LocalDateTime" -> "2026-11-23T03:30:00";
			case "LocalTime" -> "03:30:00";
			default -> "text";
		};
	}

	private record Type<T>(Class<T> type, Function<String, T> parser, Function<T, String> formatter) {
	}

}
