package io.batchyard.launcher.dashboard.manifests;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.batchyard.launcher.dashboard.DashboardView;
import io.batchyard.launcher.manifestupdate.DlcsBatchStates;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * What {@code manifestUpdateJob} did to the presentation store: the manifests, most
 * recently processed first, with their canvas paintings (how many are still ingesting or
 * carry an error) and their DLCS batches, each linked to its job executions.
 */
@Controller
class ManifestsPageController {

	static final int MANIFESTS_SHOWN = 100;

	private final JdbcTemplate jdbc;

	private final DlcsBatchStates states;

	ManifestsPageController(JdbcTemplate jdbc, DlcsBatchStates states) {
		this.jdbc = jdbc;
		this.states = states;
	}

	/**
	 * A DLCS batch as shown: its status follows its last execution's fate
	 * ({@link DlcsBatchStates}); {@code error} says why it is shown {@code Failed}.
	 */
	record Batch(int id, String status, String error, Instant submitted, Instant finished, Instant processed) {
	}

	record ManifestRow(String id, int customerId, String label, Instant lastProcessed, int canvases, int ingesting,
			int errors, List<Batch> batches) {
	}

	@GetMapping("/manifests")
	String manifests(Model model) {
		Map<String, List<Batch>> batches = this.jdbc
			.query("SELECT manifest_id, customer_id, id, status, submitted, finished, processed FROM batches"
					+ " ORDER BY id DESC",
					(rs, row) -> Map.entry(rs.getString(1) + "/" + rs.getInt(2),
							batch(rs.getInt(2), rs.getInt(3), rs.getString(4), instant(rs, 5), instant(rs, 6),
									instant(rs, 7))))
			.stream()
			.collect(Collectors.groupingBy(Map.Entry::getKey,
					Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
		// Never processed last: NULLs sort differently on H2 and PostgreSQL otherwise.
		List<ManifestRow> manifests = this.jdbc.query(
				"SELECT M.id, M.customer_id, M.label, M.last_processed,"
						+ " COUNT(C.canvas_painting_id), SUM(CASE WHEN C.ingesting THEN 1 ELSE 0 END),"
						+ " SUM(CASE WHEN C.error IS NOT NULL THEN 1 ELSE 0 END) FROM manifests M"
						+ " LEFT JOIN canvas_paintings C ON C.manifest_id = M.id AND C.customer_id = M.customer_id"
						+ " GROUP BY M.id, M.customer_id, M.label, M.last_processed"
						+ " ORDER BY CASE WHEN M.last_processed IS NULL THEN 1 ELSE 0 END, M.last_processed DESC, M.id"
						+ " LIMIT " + MANIFESTS_SHOWN,
				(rs, row) -> new ManifestRow(rs.getString(1), rs.getInt(2), label(rs.getString(3)), instant(rs, 4),
						rs.getInt(5), rs.getInt(6), rs.getInt(7),
						batches.getOrDefault(rs.getString(1) + "/" + rs.getInt(2), List.of())));
		model.addAttribute("manifests", manifests);
		model.addAttribute("shown", MANIFESTS_SHOWN);
		return "dashboard/manifests";
	}

	private Batch batch(int customer, int id, String status, Instant submitted, Instant finished, Instant processed) {
		DlcsBatchStates.Shown shown = this.states.shown(customer, id, status);
		return new Batch(id, shown.status(), shown.error(), submitted, finished, processed);
	}

	/**
	 * A IIIF language map ({@code {"en": ["..."]}}) as the text of its first language;
	 * anything else as stored.
	 */
	static String label(String stored) {
		if (stored == null) {
			return null;
		}
		try {
			JsonNode label = JsonMapper.shared().readTree(stored);
			if (label.isObject() && !label.isEmpty()) {
				JsonNode values = label.iterator().next();
				if (values.isArray() && !values.isEmpty()) {
					List<String> texts = new java.util.ArrayList<>();
					values.forEach((value) -> texts.add(value.asString()));
					return String.join(" ", texts);
				}
			}
		}
		catch (JacksonException ex) {
			// not JSON: shown as stored
		}
		return stored;
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	@Configuration(proxyBeanMethods = false)
	static class ManifestsView {

		@Bean
		DashboardView manifestsDashboardView() {
			return new DashboardView() {

				@Override
				public String title() {
					return "Manifests";
				}

				@Override
				public String path() {
					return "/manifests";
				}

			};
		}

	}

}
