package io.batchyard.jobs.launch;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a text parameter's value must look like beyond its type: an ISO-8601 instant, a
 * UUID. The server checks {@link #accepts}; the dashboard gives the browser
 * {@link #pattern()} so that a form with a malformed value is not even submitted.
 *
 * @param description what the value is, for messages ("an ISO-8601 instant")
 * @param pattern a regular expression the whole value matches, in the subset shared by
 * Java and HTML's {@code pattern} attribute
 * @param check the server's definitive check (may be looser than the pattern, which only
 * has to catch typing mistakes), or {@code null} to rely on the pattern alone
 */
public record ValueFormat(String description, String pattern, Predicate<String> check) {

	/**
	 * An instant as {@link Instant#parse} reads it ({@code 2026-11-23T03:30:00Z}, an
	 * offset allowed): the browser pattern covers the usual forms, the server accepts
	 * what the job's reader accepts.
	 */
	public static final ValueFormat INSTANT = new ValueFormat("an ISO-8601 instant",
			"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+\\-]\\d{2}:\\d{2})",
			ValueFormat::isInstant);

	/**
	 * A date-time with or without an offset ({@code 2026-11-23T03:30:00Z},
	 * {@code 2026-11-23T03:30:00}), as DLCS notifications write them.
	 */
	public static final ValueFormat DATE_TIME = new ValueFormat("an ISO-8601 date-time",
			"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+\\-]\\d{2}:\\d{2})?",
			ValueFormat::isDateTime);

	/**
	 * A UUID in its canonical 8-4-4-4-12 form. {@code UUID.fromString} alone would also
	 * take {@code 1-2-3-4-5}, which names no batch anyone created.
	 */
	public static final ValueFormat UUID = new ValueFormat("a UUID", Patterns.UUID.pattern(),
			Patterns.UUID.asMatchPredicate());

	public ValueFormat {
		Objects.requireNonNull(description, "description");
		Objects.requireNonNull(pattern, "pattern");
	}

	/**
	 * Whether a value has this format.
	 * @param text the value
	 * @return {@code true} if the server accepts it
	 */
	public boolean accepts(String text) {
		if (text == null) {
			return false;
		}
		if (this.check != null) {
			return this.check.test(text);
		}
		return Pattern.compile(this.pattern).matcher(text).matches();
	}

	private static final class Patterns {

		static final Pattern UUID = Pattern
			.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	}

	private static boolean isDateTime(String text) {
		try {
			OffsetDateTime.parse(text);
			return true;
		}
		catch (DateTimeException ex) {
			try {
				LocalDateTime.parse(text);
				return true;
			}
			catch (DateTimeException ex2) {
				return false;
			}
		}
	}

	private static boolean isInstant(String text) {
		try {
			Instant.parse(text);
			return true;
		}
		catch (DateTimeException ex) {
			return false;
		}
	}

}
