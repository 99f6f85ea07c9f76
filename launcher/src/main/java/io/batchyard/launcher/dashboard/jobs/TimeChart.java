package io.batchyard.launcher.dashboard.jobs;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import org.springframework.web.util.HtmlUtils;

/**
 * A scatter chart over time as an inline SVG string, drawn on the server: no script, no
 * client library, nothing fetched, so the dashboard works offline and a page's chart is
 * testable as text. One {@code <a class="point ...">} per point, linked to its execution
 * and titled with what it shows; points of a series may be joined by a line. Axes carry
 * their units: the value axis in the unit that suits its largest value, the time axis in
 * readable dates of the server's zone.
 */
final class TimeChart {

	static final int WIDTH = 960;

	static final int HEIGHT = 300;

	private static final int LEFT = 72;

	private static final int RIGHT = 16;

	private static final int TOP = 24;

	private static final int BOTTOM = 48;

	private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;

	private static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

	private static final long[] TIME_STEPS_MINUTES = { 60, 180, 360, 720, 1440, 2880, 10080, 20160, 43200 };

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

	private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

	private TimeChart() {
	}

	/**
	 * One point.
	 *
	 * @param time where on the time axis
	 * @param value where on the value axis, in the chart's base unit
	 * @param colour its fill
	 * @param marked drawn as a cross instead of a dot (a failure)
	 * @param cssClass added to {@code point} on its link, for example the status
	 * @param href what it links to
	 * @param title its tooltip
	 */
	record Point(LocalDateTime time, double value, String colour, boolean marked, String cssClass, String href,
			String title) {
	}

	/**
	 * Points that belong together.
	 *
	 * @param name the legend's label, or {@code null} for none
	 * @param colour the legend's and the line's colour
	 * @param points the points
	 * @param joined whether a line joins them in time order
	 */
	record Series(String name, String colour, List<Point> points, boolean joined) {
	}

	/**
	 * The value axis: a quantity and the units it can be shown in, largest last.
	 *
	 * @param quantity what the values are ("Duration")
	 * @param units the units, each with its name and how many base units it holds
	 */
	record ValueAxis(String quantity, List<Unit> units) {

		static final ValueAxis DURATION = new ValueAxis("Duration",
				List.of(new Unit("seconds", 1000), new Unit("minutes", 60_000), new Unit("hours", 3_600_000)));

		static ValueAxis of(String quantity, String unit) {
			return new ValueAxis(quantity, List.of(new Unit(unit, 1)));
		}

		/**
		 * The unit for values up to a maximum: the largest in which it is at least 2.
		 */
		Unit unitFor(double max) {
			Unit chosen = this.units.get(0);
			for (Unit unit : this.units) {
				if (max / unit.size() >= 2) {
					chosen = unit;
				}
			}
			return chosen;
		}

	}

	record Unit(String name, double size) {
	}

	/**
	 * Draws the chart.
	 * @param series what to draw
	 * @param from the time axis' start
	 * @param to the time axis' end
	 * @param axis the value axis
	 * @param zone the zone the times are in, named on the time axis
	 * @param label the chart's accessible name
	 * @return the {@code <svg>} element
	 */
	static String render(List<Series> series, LocalDateTime from, LocalDateTime to, ValueAxis axis, ZoneId zone,
			String label) {
		double max = series.stream().flatMap((s) -> s.points().stream()).mapToDouble(Point::value).max().orElse(0);
		Unit unit = axis.unitFor(max);
		double[] ticks = valueTicks(max / unit.size());
		double top = ticks[ticks.length - 1];
		StringBuilder svg = new StringBuilder(8192 + series.stream().mapToInt((s) -> s.points().size()).sum() * 180);
		svg.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
			.append(WIDTH)
			.append(' ')
			.append(HEIGHT)
			.append("\" role=\"img\" aria-label=\"")
			.append(escape(label))
			.append("\" data-points=\"")
			.append(series.stream().mapToInt((s) -> s.points().size()).sum())
			.append("\">");
		svg.append("<rect x=\"")
			.append(LEFT)
			.append("\" y=\"")
			.append(TOP)
			.append("\" width=\"")
			.append(PLOT_WIDTH)
			.append("\" height=\"")
			.append(PLOT_HEIGHT)
			.append("\" fill=\"#fff\" stroke=\"#e5e7eb\"/>");
		for (double tick : ticks) {
			double y = y(tick, top);
			svg.append("<line class=\"grid\" x1=\"")
				.append(LEFT)
				.append("\" x2=\"")
				.append(LEFT + PLOT_WIDTH)
				.append("\" y1=\"")
				.append(fmt(y))
				.append("\" y2=\"")
				.append(fmt(y))
				.append("\" stroke=\"#f1f5f9\"/>");
			svg.append("<text class=\"tick\" x=\"")
				.append(LEFT - 6)
				.append("\" y=\"")
				.append(fmt(y + 4))
				.append("\" text-anchor=\"end\" font-size=\"11\" fill=\"#6b7280\">")
				.append(number(tick))
				.append("</text>");
		}
		long spanMinutes = Math.max(1, Duration.between(from, to).toMinutes());
		long step = TIME_STEPS_MINUTES[TIME_STEPS_MINUTES.length - 1];
		for (long candidate : TIME_STEPS_MINUTES) {
			if (spanMinutes / candidate <= 8) {
				step = candidate;
				break;
			}
		}
		DateTimeFormatter format = (step < 1440) ? DAY_AND_TIME : DAY;
		for (LocalDateTime tick = from.truncatedTo(ChronoUnit.DAYS); !tick.isAfter(to); tick = tick.plusMinutes(step)) {
			if (tick.isBefore(from)) {
				continue;
			}
			double x = x(tick, from, to);
			svg.append("<line class=\"grid\" x1=\"")
				.append(fmt(x))
				.append("\" x2=\"")
				.append(fmt(x))
				.append("\" y1=\"")
				.append(TOP)
				.append("\" y2=\"")
				.append(TOP + PLOT_HEIGHT + 4)
				.append("\" stroke=\"#e5e7eb\"/>");
			svg.append("<text class=\"tick\" x=\"")
				.append(fmt(x))
				.append("\" y=\"")
				.append(TOP + PLOT_HEIGHT + 18)
				.append("\" text-anchor=\"middle\" font-size=\"11\" fill=\"#6b7280\">")
				.append(escape(format.format(tick)))
				.append("</text>");
		}
		svg.append("<text class=\"axis-title\" x=\"")
			.append(LEFT + PLOT_WIDTH / 2)
			.append("\" y=\"")
			.append(HEIGHT - 6)
			.append("\" text-anchor=\"middle\" font-size=\"12\" fill=\"#475569\">Start time (")
			.append(escape(zone.getId()))
			.append(")</text>");
		svg.append("<text class=\"axis-title\" x=\"14\" y=\"")
			.append(TOP + PLOT_HEIGHT / 2)
			.append("\" transform=\"rotate(-90 14 ")
			.append(TOP + PLOT_HEIGHT / 2)
			.append(")\" text-anchor=\"middle\" font-size=\"12\" fill=\"#475569\">")
			.append(escape(axis.quantity()))
			.append(" (")
			.append(escape(unit.name()))
			.append(")</text>");
		int legend = 0;
		for (Series s : series) {
			if (s.joined() && s.points().size() > 1) {
				svg.append("<polyline fill=\"none\" stroke=\"")
					.append(s.colour())
					.append("\" stroke-width=\"1\" points=\"");
				s.points()
					.stream()
					.sorted(java.util.Comparator.comparing(Point::time))
					.forEach((p) -> svg.append(fmt(x(p.time(), from, to)))
						.append(',')
						.append(fmt(y(p.value() / unit.size(), top)))
						.append(' '));
				svg.append("\"/>");
			}
			if (s.name() != null) {
				int x = LEFT + 8 + legend * 180;
				svg.append("<circle cx=\"")
					.append(x)
					.append("\" cy=\"12\" r=\"4\" fill=\"")
					.append(s.colour())
					.append("\"/><text x=\"")
					.append(x + 8)
					.append("\" y=\"16\" font-size=\"11\" fill=\"#1d2327\">")
					.append(escape(s.name()))
					.append("</text>");
				legend++;
			}
		}
		for (Series s : series) {
			for (Point p : s.points()) {
				double x = x(p.time().isBefore(from) ? from : p.time(), from, to);
				double y = y(p.value() / unit.size(), top);
				svg.append("<a class=\"point ")
					.append(escape(p.cssClass()))
					.append("\" href=\"")
					.append(escape(p.href()))
					.append("\"><title>")
					.append(escape(p.title()))
					.append("</title>");
				if (p.marked()) {
					svg.append("<path d=\"M")
						.append(fmt(x - 4))
						.append(' ')
						.append(fmt(y - 4))
						.append("l8 8m0 -8l-8 8\" stroke=\"")
						.append(p.colour())
						.append("\" stroke-width=\"2.5\"/>");
				}
				else {
					svg.append("<circle cx=\"")
						.append(fmt(x))
						.append("\" cy=\"")
						.append(fmt(y))
						.append("\" r=\"3.5\" fill=\"")
						.append(p.colour())
						.append("\"/>");
				}
				svg.append("</a>");
			}
		}
		return svg.append("</svg>").toString();
	}

	/**
	 * Round ticks from 0 to at least the maximum: 0, 0.5, 1, ... or 0, 20, 40, ...
	 */
	static double[] valueTicks(double max) {
		if (max <= 0) {
			return new double[] { 0, 1 };
		}
		double raw = max / 4;
		double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
		double residual = raw / magnitude;
		double step = ((residual <= 1) ? 1 : (residual <= 2) ? 2 : (residual <= 5) ? 5 : 10) * magnitude;
		int count = (int) Math.ceil(max / step - 1e-9);
		double[] ticks = new double[count + 1];
		for (int i = 0; i <= count; i++) {
			ticks[i] = i * step;
		}
		return ticks;
	}

	private static double x(LocalDateTime time, LocalDateTime from, LocalDateTime to) {
		double span = Math.max(1, Duration.between(from, to).toMillis());
		return LEFT + PLOT_WIDTH * Math.min(1, Math.max(0, Duration.between(from, time).toMillis() / span));
	}

	private static double y(double value, double top) {
		return TOP + PLOT_HEIGHT - PLOT_HEIGHT * Math.min(1, Math.max(0, value / top));
	}

	private static String fmt(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	private static String number(double value) {
		return new BigDecimal(String.format(Locale.ROOT, "%.6f", value)).stripTrailingZeros().toPlainString();
	}

	private static String escape(String text) {
		return HtmlUtils.htmlEscape((text != null) ? text : "", "UTF-8");
	}

}
