package io.batchyard.bench.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.batchyard.jobs.enhancement.BlobKeys;

/**
 * {@code enhancementImportJob} on a robot batch of {@value #REFERENCES} requested
 * references seeded as the robot API leaves it when the robot posts its result
 * ({@code importing}, one pending enhancement per reference), and a result file of one
 * line per reference but the last {@value #UNNAMED}: abstracts, with a broken line every
 * 13th, a robot error every 17th and a reference outside the batch every 29th, in chunks
 * of {@value #CHUNK}, from the local blob store. Run {@code n}'s ids (references,
 * request, batch) start with {@code e} and {@code n} in hex, which the end state replaces
 * by {@code RUN}. The end state includes the validation report's bytes.
 */
final class EnhancementImportWorkload implements Workload {

	static final String JOB = "enhancementImportJob";

	private static final int REFERENCES = 400;

	private static final int UNNAMED = 10;

	/** The same as the reference load's: the two jobs share the setting. */
	private static final int CHUNK = 25;

	private static final String ROBOT = "campaign-robot";

	@Override
	public String job() {
		return JOB;
	}

	@Override
	public List<String> settings(Yard yard) {
		return List.of("--batchyard.jobs.enhancement-import.chunk-size=" + CHUNK,
				"--batchyard.enhancements.storage.type=local",
				"--batchyard.enhancements.storage.directory=" + blobs(yard));
	}

	private static Path blobs(Yard yard) {
		return yard.directory().toAbsolutePath().resolve("var/enhancement-blobs");
	}

	private static String prefix(int run) {
		// Not the reference load's prefix: the two jobs' trials run side by side.
		return String.format("e%07x-", run);
	}

	private static UUID reference(int run, int i) {
		return UUID.fromString(prefix(run) + String.format("0000-4000-9000-%012x", i));
	}

	private static UUID request(int run) {
		return UUID.fromString(prefix(run) + "0000-4000-a000-000000000001");
	}

	private static UUID batch(int run) {
		return UUID.fromString(prefix(run) + "0000-4000-b000-000000000001");
	}

	@Override
	public void prepare(Yard yard, int run) {
		seed(yard, run);
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < REFERENCES - UNNAMED; i++) {
			UUID reference = reference(run, i);
			if (i % 13 == 5) {
				lines.append("{\"reference_id\":\"").append(reference).append("\",\"source\":\"campaign\",broken\n");
			}
			else if (i % 17 == 7) {
				lines.append("{\"reference_id\":\"")
					.append(reference)
					.append("\",\"message\":\"Full text not available for ")
					.append(i)
					.append("\"}\n");
			}
			else {
				UUID named = (i % 29 == 11)
						? UUID.fromString(prefix(run) + String.format("0000-4000-9000-%012x", 900_000 + i)) : reference;
				lines.append("{\"reference_id\":\"")
					.append(named)
					.append("\",\"source\":\"campaign-robot\",\"visibility\":\"public\",\"robot_version\":\"1.0\","
							+ "\"content\":{\"enhancement_type\":\"abstract\",\"process\":\"other\",\"abstract\":\"Abstract of reference ")
					.append(i)
					.append(": outcomes of intervention ")
					.append(i % 31)
					.append(".\"}}\n");
			}
		}
		Path file = blobs(yard).resolve(BlobKeys.robotResult(batch(run)));
		try {
			Files.createDirectories(file.getParent());
			Files.writeString(file, lines, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void seed(Yard yard, int run) {
		OffsetDateTime now = OffsetDateTime.parse("2026-11-20T09:00:00Z");
		OffsetDateTime lease = OffsetDateTime.parse("2099-01-01T00:00:00Z");
		try (Connection connection = yard.connect()) {
			connection.setAutoCommit(false);
			try (PreparedStatement references = connection.prepareStatement(
					"INSERT INTO reference (id, visibility, identifiers, created_at) VALUES (?, 'public', NULL, ?)");
					PreparedStatement request = connection.prepareStatement("INSERT INTO enhancement_request (id,"
							+ " robot_id, source, request_status, created_at, updated_at) VALUES (?, ?, 'campaign',"
							+ " 'processing', ?, ?)");
					PreparedStatement batch = connection.prepareStatement("INSERT INTO robot_enhancement_batch (id,"
							+ " robot_id, status, reference_data_key, result_key, expires_at, created_at, updated_at)"
							+ " VALUES (?, ?, 'importing', ?, ?, ?, ?, ?)");
					PreparedStatement pending = connection.prepareStatement("INSERT INTO pending_enhancement (id,"
							+ " enhancement_request_id, reference_id, robot_id, status, batch_id, expires_at, retry_depth,"
							+ " created_at, updated_at) VALUES (?, ?, ?, ?, 'importing', ?, ?, 0, ?, ?)")) {
				for (int i = 0; i < REFERENCES; i++) {
					references.setObject(1, reference(run, i));
					references.setObject(2, now);
					references.addBatch();
				}
				references.executeBatch();
				request.setObject(1, request(run));
				request.setString(2, ROBOT);
				request.setObject(3, now);
				request.setObject(4, now);
				request.executeUpdate();
				batch.setObject(1, batch(run));
				batch.setString(2, ROBOT);
				batch.setString(3, BlobKeys.referenceData(batch(run)));
				batch.setString(4, BlobKeys.robotResult(batch(run)));
				batch.setObject(5, lease);
				batch.setObject(6, now);
				batch.setObject(7, now);
				batch.executeUpdate();
				for (int i = 0; i < REFERENCES; i++) {
					pending.setObject(1, UUID.fromString(prefix(run) + String.format("0000-4000-c000-%012x", i)));
					pending.setObject(2, request(run));
					pending.setObject(3, reference(run, i));
					pending.setString(4, ROBOT);
					pending.setObject(5, batch(run));
					pending.setObject(6, lease);
					pending.setObject(7, now);
					pending.setObject(8, now);
					pending.addBatch();
				}
				pending.executeBatch();
			}
			connection.commit();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Seeding enhancement batch run " + run + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public Run launch(Node node, Yard yard, int run) {
		String batch = batch(run).toString();
		node.launch(JOB, "{\"batchId\":\"" + batch + "\"}");
		return new Run(run, JOB, "batchId", batch);
	}

	@Override
	public EndState endState(Yard yard, Run run) {
		int number = run.number();
		UUID batch = batch(number);
		String like = prefix(number) + "%";
		EndState state = new EndState();
		state.add(EndState.ROWS,
				normalise(number, yard.lines("SELECT 'entry', entry_number, CAST(reference_id AS VARCHAR(36)), outcome,"
						+ " error FROM robot_result_validation_entry WHERE batch_id = ?", batch)));
		state.add(EndState.ROWS, normalise(number,
				// Its id and fingerprint derive from the run's reference id.
				yard.lines("SELECT 'enhancement', CAST(reference_id AS VARCHAR(36)),"
						+ " enhancement_type, source, visibility, robot_version, CAST(content AS VARCHAR(4000))"
						+ " FROM enhancement WHERE CAST(reference_id AS VARCHAR(36)) LIKE ?", like)));
		state.add(EndState.ROWS,
				normalise(number,
						yard.lines("SELECT 'pending', CAST(reference_id AS VARCHAR(36)), status, result_entry,"
								+ " reason FROM pending_enhancement WHERE batch_id = ?", batch)));
		state.add(EndState.ROWS, normalise(number, yard.lines(
				"SELECT 'batch', status, validation_result_key, error" + " FROM robot_enhancement_batch WHERE id = ?",
				batch)));
		state.add(EndState.ROWS, yard.lines(
				"SELECT 'request', request_status, error FROM enhancement_request" + " WHERE id = ?", request(number)));
		List<String> executions = Campaign.executions(yard, run);
		state.add(EndState.COUNTS, Campaign.stepCounts(yard, String.join(",", executions)));
		state.add(EndState.REPORT, normalise(number, Campaign.lastExit(yard, executions)));
		Path report = blobs(yard).resolve(BlobKeys.validationResult(batch));
		try {
			state
				.add(EndState.REPORT,
						List.of("validation-report|" + (Files.isRegularFile(report) ? EndState
							.sha256(normalise(number, List.of(Files.readString(report, StandardCharsets.UTF_8))).get(0))
								: "missing")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return state;
	}

	private static List<String> normalise(int run, List<String> lines) {
		String prefix = prefix(run);
		return lines.stream().map((line) -> line.replace(prefix, "RUN-")).toList();
	}

	@Override
	public List<Fault> faults(Yard yard) {
		return yard.postgresql() ? List.of(Fault.DATABASE_CONNECTIONS_DROPPED) : List.of();
	}

}
