package io.batchyard.launcher.dashboard.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.ParameterDeclaration;
import io.batchyard.jobs.launch.ValueFormat;
import io.batchyard.launcher.catalogue.JobCatalogue;
import io.batchyard.launcher.catalogue.JobTriggers;
import io.batchyard.launcher.catalogue.QueueDepths;
import io.batchyard.launcher.dashboard.DashboardSupport;
import io.batchyard.launcher.dashboard.Flash;
import io.batchyard.launcher.dashboard.jobs.JobHealth.Execution;
import io.batchyard.launcher.dashboard.jobs.JobHealth.Stats;
import io.batchyard.launcher.dashboard.jobs.JobHealth.Window;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

/**
 * The jobs at a glance (description, last execution, the latest executions as a strip,
 * success rate and duration percentiles over a window, next scheduled fire), one job's
 * page (its duration and throughput charts, latest executions with their item counts,
 * triggers) and its launch form, built from the job's declared parameters: labelled
 * inputs with the declared type, required mark, default and example, checked by the
 * browser before submit and by the job's validator after.
 */
@Controller
class JobPagesController {

	/** Executions shown as cells per job. */
	static final int STRIP = 30;

	/**
	 * The most points a chart draws: the newest of the window. An SVG of thousands of
	 * points is slow to draw and impossible to read; the caption says when it shows fewer
	 * than ended.
	 */
	static final int CHART_POINTS = 1000;

	private static final String[] STEP_COLOURS = { "#2563eb", "#d97706", "#7c3aed", "#0d9488", "#db2777", "#4b5563" };

	private final JobCatalogue catalogue;

	private final JobTriggers triggers;

	private final JobHealth health;

	private final JobLaunchService launchService;

	private final JobRegistry jobRegistry;

	private final DashboardSupport support;

	private final QueueDepths queueDepths;

	JobPagesController(JobCatalogue catalogue, JobTriggers triggers, JobHealth health, JobLaunchService launchService,
			JobRegistry jobRegistry, DashboardSupport support, QueueDepths queueDepths) {
		this.catalogue = catalogue;
		this.queueDepths = queueDepths;
		this.triggers = triggers;
		this.health = health;
		this.launchService = launchService;
		this.jobRegistry = jobRegistry;
		this.support = support;
	}

	/**
	 * One execution as a cell of a job's strip.
	 *
	 * @param id the execution
	 * @param cssClass its status' class
	 * @param title what its tooltip says
	 */
	record Cell(long id, String cssClass, String title) {
	}

	record JobRow(String name, String description, boolean restartable, Execution last, List<Cell> strip, Stats stats,
			Instant nextFire, List<QueueRow> queues) {
	}

	/**
	 * A queue whose messages start a job, and how many wait in it.
	 *
	 * @param trigger the trigger
	 * @param depth the queue's depth, or why it is unknown
	 */
	record QueueRow(JobTriggers.Queue trigger, QueueDepths.Depth depth) {
	}

	/**
	 * One input of a launch form.
	 *
	 * @param name the parameter
	 * @param type its type's short name
	 * @param required whether the browser requires it
	 * @param identifying whether it names the instance
	 * @param value the value to show: what was entered before a refusal, or the default
	 * @param example the placeholder
	 * @param pattern the browser's check, or {@code null}
	 * @param patternHint what the pattern means, for the browser's message
	 * @param inputType the input's {@code type}
	 * @param options the choices of a select (Boolean), or empty
	 * @param description what it is
	 * @param defaultText the default, described, or {@code null}
	 * @param alternatives the parameters that stand in for it
	 */
	record Field(String name, String type, boolean required, boolean identifying, String value, String example,
			String pattern, String patternHint, String inputType, List<String> options, String description,
			String defaultText, List<String> alternatives) {
	}

	@GetMapping("/jobs")
	String jobs(@RequestParam(required = false) String window, Model model) {
		Window chosen = window(window, model);
		Map<String, Stats> stats = this.health.stats(chosen.since(LocalDateTime.now()));
		List<String> names = this.catalogue.jobNames();
		// Only the queues that start this job: the launch queue's messages may name any.
		Map<String, List<JobTriggers.Queue>> queues = new LinkedHashMap<>();
		names.forEach((name) -> queues.put(name,
				this.triggers.queues(name).stream().filter((queue) -> !queue.anyJob()).toList()));
		Map<String, QueueDepths.Depth> depths = this.queueDepths
			.depths(queues.values().stream().flatMap(List::stream).map(JobTriggers.Queue::queue).toList());
		List<JobRow> rows = names.stream().map((name) -> {
			List<Execution> latest = this.health.latest(name, STRIP);
			Job job = this.jobRegistry.getJob(name);
			return new JobRow(name, this.catalogue.summary(name), job != null && job.isRestartable(),
					latest.isEmpty() ? null : latest.get(0), strip(latest), stats.getOrDefault(name, Stats.NONE),
					this.triggers.nextFire(name), queueRows(queues.get(name), depths));
		}).toList();
		model.addAttribute("jobs", rows);
		model.addAttribute("stripSize", STRIP);
		return "dashboard/jobs";
	}

	@GetMapping("/jobs/{job}")
	String job(@PathVariable String job, @RequestParam(required = false) String window, Model model,
			HttpServletRequest request, RedirectAttributes redirect) {
		Job registered = this.jobRegistry.getJob(job);
		if (registered == null) {
			Flash.error(redirect, "No job named '" + job + "'; known jobs: " + this.catalogue.jobNames());
			return "redirect:/jobs";
		}
		Window chosen = window(window, model);
		LocalDateTime now = LocalDateTime.now();
		LocalDateTime since = chosen.since(now);
		Stats stats = this.health.stats(job, since);
		List<JobHealth.ExecutionCounts> latest = this.health.latestWithCounts(job, STRIP);
		List<Execution> ended = this.health.ended(job, since, CHART_POINTS);
		String base = request.getContextPath();
		model.addAttribute("job", job);
		model.addAttribute("description", this.catalogue.summary(job));
		model.addAttribute("restartable", registered.isRestartable());
		model.addAttribute("stats", stats);
		model.addAttribute("last", latest.isEmpty() ? null : latest.get(0).execution());
		model.addAttribute("strip", strip(latest.stream().map(JobHealth.ExecutionCounts::execution).toList()));
		model.addAttribute("executions", latest);
		model.addAttribute("chartShown", ended.size());
		model.addAttribute("durationChart", ended.isEmpty() ? null : durationChart(job, ended, since, now, base));
		model.addAttribute("throughputChart", throughputChart(job, ended, since, now, base));
		model.addAttribute("schedules", this.triggers.schedules(job));
		List<JobTriggers.Queue> queues = this.triggers.queues(job);
		model.addAttribute("queues",
				queueRows(queues, this.queueDepths.depths(queues.stream().map(JobTriggers.Queue::queue).toList())));
		model.addAttribute("nextFire", this.triggers.nextFire(job));
		Object entered = model.getAttribute("entered");
		model.addAttribute("fields", fields(this.catalogue.description(job).orElse(null),
				(entered instanceof Map<?, ?> values) ? values : Map.of()));
		model.addAttribute("zone", ZoneId.systemDefault().getId());
		return "dashboard/job";
	}

	@PostMapping("/jobs/{job}/launch")
	String launch(@PathVariable String job, @RequestParam(name = "key", required = false) List<String> keys,
			@RequestParam(name = "value", required = false) List<String> values, RedirectAttributes redirect) {
		Set<String> declared = this.catalogue.description(job)
			.map((description) -> description.parameters()
				.stream()
				.map(ParameterDeclaration::name)
				.collect(java.util.stream.Collectors.toSet()))
			.orElse(Set.of());
		Map<String, String> parameters = new LinkedHashMap<>();
		if (keys != null) {
			for (int i = 0; i < keys.size(); i++) {
				String key = keys.get(i).trim();
				String value = (values != null && i < values.size()) ? values.get(i) : "";
				// A declared input left empty is not given: the job's validator then
				// names it if it is required, instead of reading an empty string.
				if (!key.isEmpty() && !(declared.contains(key) && value.isBlank())) {
					parameters.put(key, value);
				}
			}
		}
		try {
			JobExecution execution = this.launchService.launch(new LaunchRequest(job, parameters));
			Flash.success(redirect, "Launched " + job + " as execution " + execution.getId());
			return "redirect:/executions/" + execution.getId();
		}
		catch (LaunchRefusedException ex) {
			Flash.error(redirect, "Not launched: " + ex.getMessage());
			if (ex.getExecutionId() != null) {
				return "redirect:/executions/" + ex.getExecutionId();
			}
			if (ex.getReason() == LaunchRefusedException.Reason.UNKNOWN_JOB) {
				return "redirect:/jobs";
			}
			redirect.addFlashAttribute("entered", parameters);
			return "redirect:/jobs/" + UriUtils.encodePathSegment(job, StandardCharsets.UTF_8) + "#launch";
		}
	}

	private static List<QueueRow> queueRows(List<JobTriggers.Queue> queues, Map<String, QueueDepths.Depth> depths) {
		return queues.stream().map((queue) -> new QueueRow(queue, depths.get(queue.queue()))).toList();
	}

	private static Window window(String code, Model model) {
		Window window;
		try {
			window = Window.of(code);
		}
		catch (IllegalArgumentException ex) {
			model.addAttribute("flashKind", "error");
			model.addAttribute("flash", ex.getMessage());
			window = Window.of(null);
		}
		model.addAttribute("window", window);
		model.addAttribute("windows", Window.values());
		return window;
	}

	/** Oldest first, so the newest execution is the strip's right end. */
	private List<Cell> strip(List<Execution> latest) {
		List<Cell> cells = new ArrayList<>();
		for (int i = latest.size() - 1; i >= 0; i--) {
			Execution execution = latest.get(i);
			cells.add(new Cell(execution.id(), this.support.statusClass(execution.status()), title(execution)));
		}
		return cells;
	}

	private String title(Execution execution) {
		Long millis = execution.durationMillis();
		return "#" + execution.id() + " " + execution.status()
				+ ((execution.exitCode() != null && !execution.exitCode().equals(execution.status()))
						? " (" + execution.exitCode() + ")" : "")
				+ " · " + this.support.time(execution.createTime())
				+ ((millis != null) ? " · " + this.support.duration(millis) : "");
	}

	private String durationChart(String job, List<Execution> ended, LocalDateTime since, LocalDateTime now,
			String base) {
		List<TimeChart.Point> points = ended.stream()
			.map((execution) -> new TimeChart.Point(execution.startTime(), execution.durationMillis(),
					colour(execution.status()), "FAILED".equals(execution.status()),
					"status-" + execution.status().toLowerCase(Locale.ROOT), base + "/executions/" + execution.id(),
					title(execution)))
			.toList();
		return TimeChart.render(List.of(new TimeChart.Series(null, "#6b7280", points, false)), since, now,
				TimeChart.ValueAxis.DURATION, ZoneId.systemDefault(), "Duration of each execution of " + job);
	}

	/**
	 * Items read per second by each step of the charted executions, one series per step.
	 */
	private String throughputChart(String job, List<Execution> ended, LocalDateTime since, LocalDateTime now,
			String base) {
		if (ended.isEmpty()) {
			return null;
		}
		Map<String, List<TimeChart.Point>> byStep = new TreeMap<>();
		for (JobHealth.StepRate rate : this.health.stepRates(ended.stream().map(Execution::id).toList())) {
			byStep.computeIfAbsent(rate.step(), (step) -> new ArrayList<>())
				.add(new TimeChart.Point(rate.startTime(), rate.itemsPerSecond(), "", false, "step-" + rate.step(),
						base + "/executions/" + rate.executionId(),
						"#" + rate.executionId() + " " + rate.step() + " · "
								+ String.format(Locale.ROOT, "%.1f", rate.itemsPerSecond()) + " items/s ("
								+ rate.items() + " read in " + this.support.duration(rate.millis()) + ")"));
		}
		if (byStep.isEmpty()) {
			return null;
		}
		List<TimeChart.Series> series = new ArrayList<>();
		int i = 0;
		for (Map.Entry<String, List<TimeChart.Point>> entry : byStep.entrySet()) {
			String colour = STEP_COLOURS[Math.min(i++, STEP_COLOURS.length - 1)];
			series.add(new TimeChart.Series(entry.getKey(), colour, entry.getValue()
				.stream()
				.map((p) -> new TimeChart.Point(p.time(), p.value(), colour, false, p.cssClass(), p.href(), p.title()))
				.sorted(Comparator.comparing(TimeChart.Point::time))
				.toList(), true));
		}
		return TimeChart.render(series, since, now, TimeChart.ValueAxis.of("Throughput", "items read per second"),
				ZoneId.systemDefault(), "Items read per second by each step of " + job);
	}

	private static String colour(String status) {
		return switch (status) {
			case "COMPLETED" -> "#16a34a";
			case "FAILED" -> "#dc2626";
			case "STOPPED" -> "#ca8a04";
			default -> "#6b7280";
		};
	}

	private static List<Field> fields(JobDescription description, Map<?, ?> entered) {
		if (description == null) {
			return List.of();
		}
		Instant now = Instant.now();
		return description.parameters().stream().filter(ParameterDeclaration::typedByHand).map((parameter) -> {
			Object previous = entered.get(parameter.name());
			String value = (previous != null) ? previous.toString()
					: (parameter.defaultValue() != null) ? parameter.defaultValue().value(now) : "";
			String pattern = pattern(parameter);
			return new Field(parameter.name(), parameter.typeName(), parameter.required(), parameter.identifying(),
					value, parameter.example(), pattern, (pattern != null) ? hint(parameter) : null,
					inputType(parameter), (parameter.type() == Boolean.class) ? List.of("true", "false") : List.of(),
					parameter.description(),
					(parameter.defaultValue() != null) ? parameter.defaultValue().describe() : null,
					parameter.alternatives());
		}).toList();
	}

	/**
	 * The browser's check of a value: the declared format's pattern, or one for the type.
	 * The server's validator has the last word.
	 */
	static String pattern(ParameterDeclaration parameter) {
		if (parameter.format() != null) {
			return parameter.format().pattern();
		}
		Class<?> type = parameter.type();
		if (type == Long.class) {
			return "-?[0-9]+";
		}
		if (type == Double.class) {
			return "-?[0-9]+(\\.[0-9]+)?([eE][+\\-]?[0-9]+)?";
		}
		if (type == Instant.class || type == Date.class) {
			return ValueFormat.INSTANT.pattern();
		}
		if (type == LocalDate.class) {
			return "[0-9]{4}-[0-9]{2}-[0-9]{2}";
		}
		if (type == LocalDateTime.class) {
			return "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?";
		}
		if (type == LocalTime.class) {
			return "[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?";
		}
		return null;
	}

	private static String hint(ParameterDeclaration parameter) {
		String what = (parameter.format() != null) ? parameter.format().description() : "a " + parameter.typeName();
		return what + ((parameter.example() != null) ? ", for example " + parameter.example() : "");
	}

	private static String inputType(ParameterDeclaration parameter) {
		return (parameter.type() == Boolean.class) ? "select" : "text";
	}

}
