package io.batchyard.launcher.executions;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * The cause of a failure in one sentence, for exit descriptions. Spring Batch records a
 * failed step's or job's exception as its whole stack trace
 * ({@code ExitStatus.addExitDescription(Throwable)}), cut at the column's 2,500
 * characters, which usually leaves out the root cause behind the outer exception's
 * frames.
 * <ul>
 * <li>When an execution fails, {@link #causeFirst} puts the root cause's type and message
 * before the trace it keeps ({@code IOException: No space left on device}, a blank line,
 * the trace), computed from the exception itself.
 * <li>{@link #summary} is what the API shows: that sentence, never the trace; for a
 * description stored without it, the deepest cause the stored trace still shows. A
 * description that holds no stack trace (a job's own report) is shown as written.
 * </ul>
 */
public final class ExitDescriptions {

	static final int MAX_LENGTH = 300;

	private static final Pattern FRAME = Pattern.compile("^\\s+(at \\S|\\.\\.\\. \\d+ (more|common frames omitted))");

	private static final String CAUSED_BY = "Caused by: ";

	private static final String PARAGRAPH = "\n\n";

	private static final Pattern THROWABLE = Pattern
		.compile("((?:[a-zA-Z_$][\\w$]*\\.)+[A-Za-z_$][\\w$]*)(?::\\s*(.*))?", Pattern.DOTALL);

	private ExitDescriptions() {
	}

	/**
	 * The root cause of a failure in one sentence.
	 * @param failure the failure
	 * @return {@code SimpleType: message} of its root cause
	 */
	public static String cause(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? oneLine(root.getMessage()) : "";
		String type = root.getClass().getSimpleName().isEmpty() ? root.getClass().getName()
				: root.getClass().getSimpleName();
		return abbreviated(message.isEmpty() ? type : type + ": " + message);
	}

	/**
	 * An exit description that starts with the cause of a failure, followed after a blank
	 * line by the description (the stack trace) Spring Batch recorded.
	 * @param description the recorded description
	 * @param failure the failure it records
	 * @return the description with the cause first; unchanged when it holds no stack
	 * trace or already starts with the cause
	 */
	public static String causeFirst(String description, Throwable failure) {
		if (description == null || throwableHeaders(description).isEmpty()) {
			return description;
		}
		String cause = cause(failure);
		return description.startsWith(cause + PARAGRAPH) ? description : cause + PARAGRAPH + description;
	}

	/**
	 * The cause of a failure in one sentence, as the API shows an exit description.
	 * @param description an exit description, possibly a stack trace
	 * @return the cause as {@code SimpleType: message}, or the description itself when it
	 * holds no stack trace
	 */
	public static String summary(String description) {
		if (description == null || description.isBlank()) {
			return description;
		}
		List<String> headers = throwableHeaders(description);
		if (headers.isEmpty()) {
			return description;
		}
		String first = headers.get(0);
		int paragraph = first.indexOf(PARAGRAPH);
		if (paragraph > 0) {
			// Written by causeFirst: the sentence before the trace.
			return abbreviated(oneLine(first.substring(0, paragraph)));
		}
		String root = first;
		for (String header : headers) {
			if (header.startsWith(CAUSED_BY)) {
				root = header;
			}
		}
		return sentence(root.startsWith(CAUSED_BY) ? root.substring(CAUSED_BY.length()) : root);
	}

	/**
	 * Why an execution ended, in one line, as the API shows exit descriptions: its own
	 * exit description, or, when that is empty, its last failed step's. A job whose steps
	 * run in a flow ends with the flow's status and no description; the step that failed
	 * holds the cause.
	 * @param execution the execution, with its step executions
	 * @return the first line of the summary, or {@code null} when neither says anything
	 */
	public static String firstLine(JobExecution execution) {
		String description = execution.getExitStatus().getExitDescription();
		if (description == null || description.isBlank()) {
			description = execution.getStepExecutions()
				.stream()
				.filter((step) -> step.getStatus() == BatchStatus.FAILED)
				.reduce((first, second) -> second)
				.map((step) -> step.getExitStatus().getExitDescription())
				.orElse(null);
		}
		String summary = summary(description);
		if (summary == null || summary.isBlank()) {
			return null;
		}
		return summary.strip().lines().findFirst().orElse(null);
	}

	/**
	 * The text of each throwable in a stack trace: the lines before a run of
	 * {@code at ...} frames. Text after the last frame is left out: it is either a trace
	 * cut short by the repository's column length or another description joined on.
	 */
	private static List<String> throwableHeaders(String description) {
		List<String> headers = new ArrayList<>();
		StringBuilder header = null;
		for (String line : description.lines().toList()) {
			if (FRAME.matcher(line).find()) {
				if (header != null) {
					headers.add(header.toString());
					header = null;
				}
			}
			else if (header == null) {
				header = new StringBuilder(line);
			}
			else {
				header.append('\n').append(line);
			}
		}
		return headers;
	}

	private static String sentence(String throwable) {
		String text = throwable.strip();
		Matcher matcher = THROWABLE.matcher(text);
		if (!matcher.matches()) {
			// Text joined before the trace ("...; java.lang.IllegalStateException: ..."):
			// the throwable is what follows the last separator that starts one.
			int separator = text.lastIndexOf("; ");
			while (separator >= 0 && !(matcher = THROWABLE.matcher(text.substring(separator + 2))).matches()) {
				separator = text.lastIndexOf("; ", separator - 1);
			}
			if (separator < 0) {
				return abbreviated(oneLine(text));
			}
		}
		String type = matcher.group(1);
		String simpleType = type.substring(type.lastIndexOf('.') + 1);
		String message = (matcher.group(2) != null) ? oneLine(matcher.group(2)) : "";
		return abbreviated(message.isEmpty() ? simpleType : simpleType + ": " + message);
	}

	private static String oneLine(String text) {
		return text.replaceAll("\\s+", " ").strip();
	}

	private static String abbreviated(String text) {
		return (text.length() <= MAX_LENGTH) ? text : text.substring(0, MAX_LENGTH - 1) + "…";
	}

}
