package io.batchyard.bench.crash;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.batchyard.bench.crash.Workload.Fault;
import io.batchyard.bench.crash.Workload.Run;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrialResultTests {

	private final Workload workload = new Workload() {

		@Override
		public String job() {
			return "someJob";
		}

		@Override
		public List<String> settings(Yard yard) {
			return List.of();
		}

		@Override
		public Run launch(Node node, Yard yard, int run) {
			throw new UnsupportedOperationException();
		}

		@Override
		public EndState endState(Yard yard, Run run) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<Fault> faults(Yard yard) {
			return List.of();
		}

		@Override
		public int atLeastOnceWindow() {
			return 2;
		}

	};

	@Test
	void identicalEndStatesAreExact() {
		EndState expected = state(List.of("a", "b"), List.of("T1|m1", "T2|m2"));
		TrialResult result = compare(expected, state(List.of("b", "a"), List.of("T2|m2", "T1|m1")), Set.of());
		assertThat(result.exact()).isTrue();
		assertThat(result.differences()).isEmpty();
	}

	@Test
	void lostAndDuplicatedRowsAreCountedAsAMultiset() {
		EndState expected = state(List.of("a", "b", "b"), List.of());
		TrialResult result = compare(expected, state(List.of("b", "c", "c", "c"), List.of()), Set.of());
		assertThat(result.exact()).isFalse();
		assertThat(result.rowsLost()).isEqualTo(2);
		assertThat(result.rowsDuplicated()).isEqualTo(3);
		assertThat(result.differences()).contains("rows missing 2 [a, b]").contains("rows extra 3 [c, c, c]");
	}

	@Test
	void aMessageSentAgainForAnUncommittedItemIsAnAtLeastOnceDuplicateWithinTheWindow() {
		EndState expected = state(List.of(), List.of("T1|m1", "T2|m2"));
		TrialResult result = compare(expected, state(List.of(), List.of("T1|m1", "T2|m2", "T2|m2")), Set.of("T1"));
		assertThat(result.exact()).isTrue();
		assertThat(result.atLeastOnceDuplicates()).isOne();
		assertThat(result.jobDuplicates()).isZero();
	}

	@Test
	void aMessageSentAgainForACommittedItemIsTheJobsDuplicate() {
		EndState expected = state(List.of(), List.of("T1|m1", "T2|m2"));
		TrialResult result = compare(expected, state(List.of(), List.of("T1|m1", "T1|m1", "T2|m2")), Set.of("T1"));
		assertThat(result.exact()).isFalse();
		assertThat(result.jobDuplicates()).isOne();
		assertThat(result.atLeastOnceDuplicates()).isZero();
	}

	@Test
	void moreAtLeastOnceDuplicatesThanOneChunkAreNotExact() {
		EndState expected = state(List.of(), List.of("T1|m1", "T2|m2", "T3|m3"));
		TrialResult result = compare(expected,
				state(List.of(), List.of("T1|m1", "T1|m1", "T2|m2", "T2|m2", "T3|m3", "T3|m3")), Set.of());
		assertThat(result.exact()).isFalse();
		assertThat(result.atLeastOnceDuplicates()).isEqualTo(3);
	}

	@Test
	void aDifferentReportIsNotExactThoughNoRowDiffers() {
		EndState expected = state(List.of("a"), List.of()).add(EndState.REPORT, List.of("Removed 5 rows"));
		EndState actual = state(List.of("a"), List.of()).add(EndState.REPORT, List.of("Removed 4 rows"));
		TrialResult result = compare(expected, actual, Set.of());
		assertThat(result.exact()).isFalse();
		assertThat(result.rowsLost()).isZero();
		assertThat(result.differences()).contains("report missing 1 [Removed 5 rows]");
	}

	@Test
	void countsOnlyWhenNothingButTheStepCountsDiffer() {
		EndState expected = state(List.of("a"), List.of()).add(EndState.COUNTS, List.of("step|120|10"));
		TrialResult counts = compare(expected,
				state(List.of("a"), List.of()).add(EndState.COUNTS, List.of("step|140|12")), Set.of());
		assertThat(counts.exact()).isFalse();
		assertThat(counts.countsOnly()).isTrue();
		TrialResult rowsToo = compare(expected,
				state(List.of(), List.of()).add(EndState.COUNTS, List.of("step|140|12")), Set.of());
		assertThat(rowsToo.countsOnly()).isFalse();
		assertThat(compare(expected, expected, Set.of()).countsOnly()).isFalse();
	}

	private TrialResult compare(EndState expected, EndState actual, Set<String> committed) {
		return TrialResult.compare(this.workload, 1, 42L, Fault.KILL, 100, true, expected, actual, committed,
				Duration.ofSeconds(1), 0);
	}

	private static EndState state(List<String> rows, List<String> messages) {
		return new EndState().add(EndState.ROWS, rows).add(EndState.MESSAGES, messages);
	}

}
