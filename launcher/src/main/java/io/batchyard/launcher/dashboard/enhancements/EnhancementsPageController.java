package io.batchyard.launcher.dashboard.enhancements;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.batchyard.jobs.enhancement.PendingStatus;
import io.batchyard.jobs.enhancement.RequestStatus;
import io.batchyard.launcher.dashboard.DashboardView;
import io.batchyard.launcher.enhancements.RobotBatchStates;
import io.batchyard.readers.blob.BlobStore;
import io.batchyard.readers.blob.NoSuchBlobException;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Enhancement requests and robot enhancement batches: each request's status (projected
 * from its pending enhancements, as the API computes it) with its counts per status, and
 * each batch's status, lease, import execution and validation report, downloadable.
 */
@Controller
class EnhancementsPageController {

	static final int SHOWN = 50;

	private final JdbcTemplate jdbc;

	private final BlobStore blobs;

	private final RobotBatchStates states;

	EnhancementsPageController(JdbcTemplate jdbc, @Qualifier("enhancementBlobStore") BlobStore blobs,
			RobotBatchStates states) {
		this.jdbc = jdbc;
		this.blobs = blobs;
		this.states = states;
	}

	record RequestRow(UUID id, String robotId, String status, Map<String, Integer> pending, String error,
			Instant createdAt) {
	}

	record BatchRow(UUID id, String robotId, String status, int references, Instant expiresAt, Long importExecutionId,
			boolean hasReport, String error, Instant createdAt) {
	}

	@GetMapping("/enhancements")
	String enhancements(Model model) {
		List<RequestRow> requests = new ArrayList<>();
		this.jdbc.query("SELECT id, robot_id, request_status, error, created_at FROM enhancement_request"
				+ " ORDER BY created_at DESC, id LIMIT " + SHOWN, (ResultSet rs) -> {
					requests.add(new RequestRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
							new LinkedHashMap<>(), rs.getString(4), instant(rs, 5)));
				});
		if (!requests.isEmpty()) {
			Map<UUID, RequestRow> byId = new LinkedHashMap<>();
			requests.forEach((request) -> byId.put(request.id(), request));
			this.jdbc.query("SELECT enhancement_request_id, status, COUNT(*) FROM pending_enhancement"
					+ " WHERE enhancement_request_id IN ("
					+ String.join(", ", java.util.Collections.nCopies(byId.size(), "?"))
					+ ") GROUP BY enhancement_request_id, status ORDER BY status", (ResultSet rs) -> {
						byId.get(rs.getObject(1, UUID.class)).pending().put(rs.getString(2), rs.getInt(3));
					}, byId.keySet().toArray());
		}
		model.addAttribute("requests", requests.stream().map(EnhancementsPageController::projected).toList());
		model.addAttribute("batches", this.jdbc.query("SELECT B.id, B.robot_id, B.status,"
				+ " (SELECT COUNT(*) FROM pending_enhancement P WHERE P.batch_id = B.id), B.expires_at,"
				+ " B.import_execution_id, B.validation_result_key, B.error, B.created_at FROM robot_enhancement_batch B"
				+ " ORDER BY B.created_at DESC, B.id LIMIT " + SHOWN,
				(rs, row) -> new BatchRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4),
						instant(rs, 5), (Long) rs.getObject(6, Long.class), rs.getString(7) != null, rs.getString(8),
						instant(rs, 9)))
			.stream()
			.map(this::shown)
			.toList());
		model.addAttribute("shown", SHOWN);
		return "dashboard/enhancements";
	}

	/** The batch's status as the robot API shows it: following its import's fate. */
	private BatchRow shown(BatchRow batch) {
		RobotBatchStates.Shown shown = this.states.shown(batch.id(), batch.status(), batch.error());
		return new BatchRow(batch.id(), batch.robotId(), shown.status(), batch.references(), batch.expiresAt(),
				batch.importExecutionId(), batch.hasReport(), shown.error(), batch.createdAt());
	}

	/** The request's status as {@code GET /enhancement-requests/{id}/} computes it. */
	private static RequestRow projected(RequestRow request) {
		Set<PendingStatus> statuses = EnumSet.noneOf(PendingStatus.class);
		request.pending().keySet().forEach((status) -> statuses.add(PendingStatus.of(status)));
		RequestStatus status = RequestStatus.project(statuses, RequestStatus.of(request.status()));
		return new RequestRow(request.id(), request.robotId(), status.value(), request.pending(), request.error(),
				request.createdAt());
	}

	@GetMapping("/enhancements/batches/{id}/report")
	ResponseEntity<StreamingResponseBody> report(@PathVariable UUID id) {
		List<String> keys = this.jdbc
			.queryForList("SELECT validation_result_key FROM robot_enhancement_batch WHERE id = ?"
					+ " AND validation_result_key IS NOT NULL", String.class, id);
		if (keys.isEmpty() || !this.blobs.exists(keys.get(0))) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND,
					"Robot enhancement batch " + id + " has no validation report");
		}
		String key = keys.get(0);
		StreamingResponseBody body = (OutputStream out) -> {
			try (InputStream in = this.blobs.open(key, 0)) {
				in.transferTo(out);
			}
			catch (NoSuchBlobException ex) {
				throw new IOException("Validation report " + key + " disappeared", ex);
			}
		};
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"validation-" + id + ".jsonl\"")
			.body(body);
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	@Configuration(proxyBeanMethods = false)
	static class EnhancementsView {

		@Bean
		DashboardView enhancementsDashboardView() {
			return new DashboardView() {

				@Override
				public String title() {
					return "Enhancements";
				}

				@Override
				public String path() {
					return "/enhancements";
				}

			};
		}

	}

}
