package io.batchyard.bench.crash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run left, by kind ({@code rows}, {@code blobs}, {@code messages},
 * {@code report}, {@code counts}): each kind a sorted multiset of normalised lines (ids
 * of the trial replaced by their position, timestamps left out), so two runs on inputs
 * that differ only in their ids compare equal, and the difference says how many lines
 * were lost or duplicated.
 */
final class EndState {

	/** Rows of the job's own tables. */
	static final String ROWS = "rows";

	/** Stored blobs (path and bytes digest). */
	static final String BLOBS = "blobs";

	/** Messages sent (bodies without timestamps). */
	static final String MESSAGES = "messages";

	/** Reports: exit descriptions, report blobs. */
	static final String REPORT = "report";

	/** Counts summed over the instance's step executions. */
	static final String COUNTS = "counts";

	/**
	 * The killed execution's step counters: as the file held them after the kill, and as
	 * the recovery left them.
	 */
	static final String RECOVERY = "recovery";

	private final Map<String, List<String>> kinds = new TreeMap<>();

	EndState add(String kind, List<String> lines) {
		this.kinds.computeIfAbsent(kind, (key) -> new ArrayList<>()).addAll(lines);
		this.kinds.get(kind).sort(null);
		return this;
	}

	/**
	 * A copy with one kind more.
	 * @param kind the kind
	 * @param lines its lines
	 * @return the copy
	 */
	EndState with(String kind, List<String> lines) {
		EndState copy = new EndState();
		this.kinds.forEach(copy::add);
		return copy.add(kind, lines);
	}

	Map<String, List<String>> kinds() {
		return this.kinds;
	}

	List<String> lines(String kind) {
		return this.kinds.getOrDefault(kind, List.of());
	}

	/**
	 * A checksum per kind, for the printed expectation.
	 * @return kind → {@code lines:sha256-prefix}
	 */
	Map<String, String> checksums() {
		Map<String, String> sums = new TreeMap<>();
		this.kinds.forEach((kind, lines) -> sums.put(kind, lines.size() + ":" + sha256(String.join("\n", lines))));
		return sums;
	}

	/**
	 * Lines of {@code expected} missing here, as a multiset difference.
	 * @param expected the expectation
	 * @param kind the kind
	 * @return the missing lines
	 */
	List<String> missing(EndState expected, String kind) {
		return difference(expected.lines(kind), lines(kind));
	}

	/**
	 * Lines here beyond those of {@code expected}.
	 * @param expected the expectation
	 * @param kind the kind
	 * @return the surplus lines
	 */
	List<String> surplus(EndState expected, String kind) {
		return difference(lines(kind), expected.lines(kind));
	}

	static List<String> difference(List<String> from, List<String> remove) {
		Map<String, Integer> counts = new TreeMap<>();
		from.forEach((line) -> counts.merge(line, 1, Integer::sum));
		remove.forEach((line) -> counts.computeIfPresent(line, (key, count) -> (count > 1) ? count - 1 : null));
		List<String> left = new ArrayList<>();
		counts.forEach((line, count) -> {
			for (int i = 0; i < count; i++) {
				left.add(line);
			}
		});
		return left;
	}

	static String sha256(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
