package io.batchyard.launcher.dashboard.steps;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Per step: the items it skipped or rejected (page and CSV), and its history across
 * executions of its job (count, min, max and mean of duration and items).
 */
@Controller
class StepsPageController {

	/** History statistics cover this many of the step's latest executions. */
	static final int HISTORY_LIMIT = 1000;

	private final JdbcTemplate jdbc;

	StepsPageController(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	record SkippedItem(long stepExecutionId, String step, String phase, String position, String key, String reason,
			LocalDateTime recordedAt) {
	}

	@GetMapping("/executions/{id}/skips")
	String skips(@PathVariable long id, Model model) {
		Map<String, List<SkippedItem>> byStep = new TreeMap<>();
		for (SkippedItem item : skippedItems(id)) {
			byStep
				.computeIfAbsent(item.step() + " (step execution " + item.stepExecutionId() + ")",
						(key) -> new java.util.ArrayList<>())
				.add(item);
		}
		model.addAttribute("executionId", id);
		model.addAttribute("byStep", byStep);
		return "dashboard/skips";
	}

	@GetMapping("/executions/{id}/skips.csv")
	ResponseEntity<byte[]> skipsCsv(@PathVariable long id) {
		StringBuilder csv = new StringBuilder(
				"job_execution_id,step_execution_id,step,phase,position,key,reason,recorded_at\r\n");
		for (SkippedItem item : skippedItems(id)) {
			csv.append(id)
				.append(',')
				.append(item.stepExecutionId())
				.append(',')
				.append(csv(item.step()))
				.append(',')
				.append(csv(item.phase()))
				.append(',')
				.append(csv(item.position()))
				.append(',')
				.append(csv(item.key()))
				.append(',')
				.append(csv(item.reason()))
				.append(',')
				.append(item.recordedAt())
				.append("\r\n");
		}
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment()
						.filename("execution-" + id + "-skipped-items.csv")
						.build()
						.toString())
			.body(csv.toString().getBytes(StandardCharsets.UTF_8));
	}

	private List<SkippedItem> skippedItems(long executionId) {
		return this.jdbc.query("SELECT STEP_EXECUTION_ID, STEP_NAME, PHASE, ITEM_POSITION, ITEM_KEY, REASON,"
				+ " RECORDED_AT FROM BATCHYARD_SKIPPED_ITEM WHERE JOB_EXECUTION_ID = ?"
				+ " ORDER BY STEP_EXECUTION_ID, SKIPPED_ITEM_ID", (rs, row) -> {
					Timestamp at = rs.getTimestamp(7);
					return new SkippedItem(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
							rs.getString(5), rs.getString(6), (at != null) ? at.toLocalDateTime() : null);
				}, executionId);
	}

	record Run(long stepExecutionId, long jobExecutionId, String status, LocalDateTime start, LocalDateTime end,
			long read, long written, long skipped) {

		long millis() {
			return (this.start != null && this.end != null) ? Duration.between(this.start, this.end).toMillis() : -1;
		}

	}

	/**
	 * Count, min, max and mean.
	 *
	 * @param count how many values
	 * @param min the smallest
	 * @param max the largest
	 * @param mean the mean
	 */
	record Stats(long count, long min, long max, double mean) {

		static Stats of(LongSummaryStatistics statistics) {
			return (statistics.getCount() == 0) ? new Stats(0, 0, 0, 0) : new Stats(statistics.getCount(),
					statistics.getMin(), statistics.getMax(), statistics.getAverage());
		}

	}

	@GetMapping("/steps/history")
	String history(@RequestParam String job, @RequestParam String step, Model model) {
		List<Run> runs = this.jdbc.query("SELECT S.STEP_EXECUTION_ID, S.JOB_EXECUTION_ID, S.STATUS, S.START_TIME,"
				+ " S.END_TIME, S.READ_COUNT, S.WRITE_COUNT, S.READ_SKIP_COUNT + S.PROCESS_SKIP_COUNT"
				+ " + S.WRITE_SKIP_COUNT FROM BATCH_STEP_EXECUTION S JOIN BATCH_JOB_EXECUTION E"
				+ " ON E.JOB_EXECUTION_ID = S.JOB_EXECUTION_ID JOIN BATCH_JOB_INSTANCE I"
				+ " ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID WHERE S.STEP_NAME = ? AND I.JOB_NAME = ?"
				+ " ORDER BY S.STEP_EXECUTION_ID DESC LIMIT " + HISTORY_LIMIT, (rs, row) -> {
					Timestamp start = rs.getTimestamp(4);
					Timestamp end = rs.getTimestamp(5);
					return new Run(rs.getLong(1), rs.getLong(2), rs.getString(3),
							(start != null) ? start.toLocalDateTime() : null,
							(end != null) ? end.toLocalDateTime() : null, rs.getLong(6), rs.getLong(7), rs.getLong(8));
				}, step, job);
		model.addAttribute("job", job);
		model.addAttribute("step", step);
		model.addAttribute("runs", runs);
		model.addAttribute("duration",
				Stats.of(runs.stream().mapToLong(Run::millis).filter((millis) -> millis >= 0).summaryStatistics()));
		model.addAttribute("read", Stats.of(runs.stream().mapToLong(Run::read).summaryStatistics()));
		model.addAttribute("written", Stats.of(runs.stream().mapToLong(Run::written).summaryStatistics()));
		model.addAttribute("limit", HISTORY_LIMIT);
		return "dashboard/step-history";
	}

	/**
	 * RFC 4180: quote every field that needs it, doubling its quotes.
	 */
	static String csv(String value) {
		if (value == null) {
			return "";
		}
		if (!value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0) {
			// A spreadsheet would run it as a formula (CSV injection).
			value = "'" + value;
		}
		if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
			return "\"" + value.replace("\"", "\"\"") + "\"";
		}
		return value;
	}

}
