package io.batchyard.launcher.dashboard;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What every dashboard template uses, as {@code ${@dashboard...}}: the navigation entries
 * contributed by jobs, and formatting of times, durations and statuses.
 */
@Component("dashboard")
public class DashboardSupport {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private final ObjectProvider<DashboardView> views;

	DashboardSupport(ObjectProvider<DashboardView> views) {
		this.views = views;
	}

	/**
	 * The pages jobs contributed.
	 * @return them, by title
	 */
	public List<DashboardView> views() {
		return this.views.orderedStream().sorted(Comparator.comparing(DashboardView::title)).toList();
	}

	/**
	 * Who is logged in.
	 * @return the user name, or empty
	 */
	public String user() {
		org.springframework.security.core.Authentication authentication = org.springframework.security.core.context.SecurityContextHolder
			.getContext()
			.getAuthentication();
		return (authentication != null) ? authentication.getName() : "";
	}

	public String time(LocalDateTime time) {
		return (time != null) ? TIME.format(time) : "";
	}

	public String time(OffsetDateTime time) {
		return (time != null) ? TIME.format(time.atZoneSameInstant(java.time.ZoneId.systemDefault())) : "";
	}

	public String time(java.time.Instant time) {
		return (time != null) ? TIME.format(time.atZone(java.time.ZoneId.systemDefault())) : "";
	}

	/**
	 * A duration as {@code 1h 02m 03s}, {@code 2m 05s} or {@code 1.234s}; a running one
	 * up to now.
	 * @param start the start, or {@code null}
	 * @param end the end, or {@code null} while running
	 * @return the formatted duration, empty if it never started
	 */
	public String duration(LocalDateTime start, LocalDateTime end) {
		if (start == null) {
			return "";
		}
		return duration(Duration.between(start, (end != null) ? end : LocalDateTime.now()).toMillis());
	}

	public String duration(OffsetDateTime start, OffsetDateTime end) {
		if (start == null) {
			return "";
		}
		return duration(Duration.between(start, (end != null) ? end : OffsetDateTime.now()).toMillis());
	}

	public String millis(double millis) {
		return duration(Math.round(millis));
	}

	public String duration(long millis) {
		if (millis < 0) {
			millis = 0;
		}
		if (millis < 60_000) {
			return String.format(Locale.ROOT, "%.3fs", millis / 1000.0);
		}
		long seconds = millis / 1000;
		if (seconds < 3600) {
			return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
		}
		return String.format(Locale.ROOT, "%dh %02dm %02ds", seconds / 3600, (seconds % 3600) / 60, seconds % 60);
	}

	/**
	 * The CSS class that colours a status or exit code.
	 * @param status a {@code BatchStatus} name or exit code
	 * @return the class
	 */
	public String statusClass(Object status) {
		String value = String.valueOf(status);
		if (value.equals("COMPLETED WITH SKIPS")) {
			return "status status-skips";
		}
		return "status status-" + value.toLowerCase(Locale.ROOT).replace(' ', '-');
	}

}
