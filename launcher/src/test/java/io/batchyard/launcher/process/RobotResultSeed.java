package io.batchyard.launcher.process;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.batchyard.jobs.enhancement.BlobKeys;

/**
 * A robot enhancement batch whose result was posted (status {@code importing}), as the
 * robot API leaves it, and its result file, the same in any database: for
 * {@code enhancementImportJob} across processes. The file names every requested reference
 * once in order, then the first quarter of them again (so later lines name a reference an
 * earlier partition named first), with robot errors, blank lines, broken JSON and
 * references not in the batch among them; the last {@value #MISSING} requested references
 * are never named.
 */
final class RobotResultSeed {

	static final UUID REQUEST = UUID.fromString("21000000-0000-0000-0000-000000000001");

	static final UUID BATCH = UUID.fromString("31000000-0000-0000-0000-000000000001");

	static final int MISSING = 10;

	private final int named;

	/**
	 * @param named how many requested references the file names (plus {@value #MISSING}
	 * it does not)
	 */
	RobotResultSeed(int named) {
		this.named = named;
	}

	int requested() {
		return this.named + MISSING;
	}

	long lines() {
		return this.named + this.named / 4;
	}

	static UUID reference(int i) {
		return new UUID(0x4100000000000000L, i);
	}

	private static UUID pending(int i) {
		return new UUID(0x6100000000000000L, i);
	}

	private static UUID unrequested(long line) {
		return new UUID(0x5100000000000000L, line);
	}

	void insertImportingBatch(String url) throws SQLException {
		Timestamp now = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		Timestamp expires = Timestamp.from(Instant.now().plus(1, ChronoUnit.DAYS));
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres")) {
			connection.setAutoCommit(false);
			try (PreparedStatement references = connection.prepareStatement(
					"INSERT INTO reference (id, visibility, identifiers, created_at) VALUES (?, 'public', ?, ?)")) {
				for (int i = 0; i < requested(); i++) {
					references.setObject(1, reference(i));
					references.setString(2, "[{\"identifier\":\"10.1000/" + i + "\",\"identifier_type\":\"doi\"}]");
					references.setTimestamp(3, now);
					references.addBatch();
				}
				references.executeBatch();
			}
			try (PreparedStatement request = connection.prepareStatement("INSERT INTO enhancement_request (id,"
					+ " robot_id, source, request_status, created_at, updated_at)"
					+ " VALUES (?, 'robot-1', 'test', 'processing', ?, ?)")) {
				request.setObject(1, REQUEST);
				request.setTimestamp(2, now);
				request.setTimestamp(3, now);
				request.executeUpdate();
			}
			try (PreparedStatement batch = connection.prepareStatement("INSERT INTO robot_enhancement_batch (id,"
					+ " robot_id, status, reference_data_key, result_key, expires_at, created_at, updated_at)"
					+ " VALUES (?, 'robot-1', 'importing', ?, ?, ?, ?, ?)")) {
				batch.setObject(1, BATCH);
				batch.setString(2, BlobKeys.referenceData(BATCH));
				batch.setString(3, BlobKeys.robotResult(BATCH));
				batch.setTimestamp(4, expires);
				batch.setTimestamp(5, now);
				batch.setTimestamp(6, now);
				batch.executeUpdate();
			}
			try (PreparedStatement pending = connection.prepareStatement("INSERT INTO pending_enhancement (id,"
					+ " enhancement_request_id, reference_id, robot_id, status, batch_id, expires_at, retry_depth,"
					+ " created_at, updated_at) VALUES (?, ?, ?, 'robot-1', 'importing', ?, ?, 0, ?, ?)")) {
				for (int i = 0; i < requested(); i++) {
					pending.setObject(1, pending(i));
					pending.setObject(2, REQUEST);
					pending.setObject(3, reference(i));
					pending.setObject(4, BATCH);
					pending.setTimestamp(5, expires);
					pending.setTimestamp(6, now);
					pending.setTimestamp(7, now);
					pending.addBatch();
				}
				pending.executeBatch();
			}
			connection.commit();
		}
	}

	/**
	 * Writes the result file where a local blob store under {@code blobs} finds it.
	 */
	void writeResult(Path blobs) throws IOException {
		Path file = blobs.resolve(BlobKeys.robotResult(BATCH));
		Files.createDirectories(file.getParent());
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			for (long line = 1; line <= lines(); line++) {
				out.write(line(line, reference(line)));
				out.write('\n');
			}
		}
	}

	/**
	 * The requested references no line names (a broken, blank or not-in-batch line stands
	 * where a line would name them): each is an entry after the last line.
	 */
	long missing() {
		java.util.BitSet named = new java.util.BitSet(requested());
		for (long line = 1; line <= lines(); line++) {
			if (!unnamed(line)) {
				named.set(reference(line));
			}
		}
		return requested() - named.cardinality();
	}

	/**
	 * The report's entries: one per line but the blank ones, and one per requested
	 * reference no line names.
	 */
	long entries() {
		long blank = 0;
		for (long line = 1; line <= lines(); line++) {
			if (line % 997 != 0 && line % 101 == 0) {
				blank++;
			}
		}
		return lines() - blank + missing();
	}

	private int reference(long line) {
		return (int) ((line <= this.named) ? line - 1 : line - 1 - this.named);
	}

	private static boolean unnamed(long line) {
		return line % 997 == 0 || line % 101 == 0 || line % 89 == 0;
	}

	private static String line(long line, int reference) {
		if (line % 997 == 0) {
			return "{\"reference_id\": [" + line;
		}
		if (line % 101 == 0) {
			return "";
		}
		if (line % 89 == 0) {
			return annotation(unrequested(line), "l0");
		}
		if (line % 7 == 0) {
			return "{\"reference_id\":\"" + reference(reference) + "\",\"message\":\"No full text for line " + line
					+ "\"}";
		}
		return annotation(reference(reference), "l" + (line % 3));
	}

	private static String annotation(UUID reference, String label) {
		return "{\"reference_id\":\"" + reference + "\",\"source\":\"robot-1\",\"visibility\":\"public\","
				+ "\"robot_version\":\"1.0\",\"content\":{\"enhancement_type\":\"annotation\",\"annotations\":"
				+ "[{\"annotation_type\":\"boolean\",\"scheme\":\"inclusion:destiny\",\"label\":\"" + label
				+ "\",\"value\":true,\"score\":0.93,\"data\":{}}]}}";
	}

}
