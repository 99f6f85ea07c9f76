package io.batchyard.bench.crash;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.batchyard.bench.crash.Workload.Fault;

/**
 * One trial's outcome against the baseline.
 *
 * @param job the job
 * @param run the run number
 * @param seed the trial's seed (replay it with {@code trialSeeds=<job>:<seed>})
 * @param fault how it was interrupted
 * @param momentMillis when, after the launch
 * @param hit whether the run was still running when interrupted (a later moment
 * interrupts nothing)
 * @param exact whether the end state is the baseline's (messages: up to the at-least-once
 * window of duplicates allowed)
 * @param rowsLost rows and blobs of the baseline missing
 * @param rowsDuplicated rows and blobs beyond the baseline's
 * @param messagesLost messages of the baseline never sent
 * @param atLeastOnceDuplicates messages sent twice for items whose chunk had not
 * committed at the interruption
 * @param jobDuplicates messages sent twice for items already committed
 * @param recovery from the interruption to the completed execution ({@code null} if none)
 * @param manualRestarts restarts the campaign had to ask the API for
 * @param differences what differed, briefly
 */
record TrialResult(String job, int run, long seed, Fault fault, long momentMillis, boolean hit, boolean exact,
		int rowsLost, int rowsDuplicated, int messagesLost, int atLeastOnceDuplicates, int jobDuplicates,
		Duration recovery, int manualRestarts, String differences) {

	private static final int SHOWN = 3;

	static TrialResult compare(Workload workload, int run, long seed, Fault fault, long moment, boolean hit,
			EndState expected, EndState actual, Set<String> committed, Duration recovery, int manualRestarts) {
		int lost = 0;
		int duplicated = 0;
		List<String> differences = new ArrayList<>();
		Set<String> kinds = new TreeSet<>(expected.kinds().keySet());
		kinds.addAll(actual.kinds().keySet());
		int messagesLost = 0;
		int atLeastOnce = 0;
		int byJob = 0;
		for (String kind : kinds) {
			List<String> missing = actual.missing(expected, kind);
			List<String> surplus = actual.surplus(expected, kind);
			if (kind.equals(EndState.MESSAGES)) {
				messagesLost += missing.size();
				for (String line : surplus) {
					String key = line.substring(0, Math.max(0, line.indexOf('|')));
					if (committed.contains(key)) {
						byJob++;
					}
					else {
						atLeastOnce++;
					}
				}
				if (!missing.isEmpty()) {
					differences.add(kind + " missing " + brief(missing));
				}
				if (byJob > 0) {
					differences.add(kind + " sent again after their chunk committed " + brief(surplus));
				}
				continue;
			}
			if (kind.equals(EndState.ROWS) || kind.equals(EndState.BLOBS)) {
				lost += missing.size();
				duplicated += surplus.size();
			}
			if (!missing.isEmpty()) {
				differences.add(kind + " missing " + brief(missing));
			}
			if (!surplus.isEmpty()) {
				differences.add(kind + " extra " + brief(surplus));
			}
		}
		boolean exact = differences.isEmpty() && atLeastOnce <= workload.atLeastOnceWindow();
		if (atLeastOnce > workload.atLeastOnceWindow()) {
			differences.add(atLeastOnce + " messages duplicated, more than one chunk in flight ("
					+ workload.atLeastOnceWindow() + ")");
		}
		return new TrialResult(workload.job(), run, seed, fault, moment, hit, exact, lost, duplicated, messagesLost,
				atLeastOnce, byJob, recovery, manualRestarts, String.join("; ", differences));
	}

	/**
	 * Whether the trial completed and only its step counts differ (rows, blobs, messages
	 * and reports exact).
	 * @return {@code true} if only the {@code counts} kind differs
	 */
	boolean countsOnly() {
		return !this.exact && !this.differences.isEmpty() && Arrays.stream(this.differences.split("; "))
			.allMatch((difference) -> difference.startsWith(EndState.COUNTS + " "));
	}

	static TrialResult failed(Workload workload, int run, long seed, Fault fault, long moment, String why) {
		return new TrialResult(workload.job(), run, seed, fault, moment, false, false, 0, 0, 0, 0, 0, null, 0,
				"did not complete: " + why);
	}

	private static String brief(List<String> lines) {
		List<String> shown = new ArrayList<>();
		for (String line : lines.subList(0, Math.min(SHOWN, lines.size()))) {
			shown.add((line.length() > 200) ? line.substring(0, 200) + "…" : line);
		}
		return lines.size() + " " + shown + ((lines.size() > SHOWN) ? " …" : "");
	}

}
