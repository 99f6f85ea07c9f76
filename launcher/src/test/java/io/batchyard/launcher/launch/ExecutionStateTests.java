package io.batchyard.launcher.launch;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.batch.core.BatchStatus;

import static io.batchyard.launcher.launch.ExecutionAction.ABANDON;
import static io.batchyard.launcher.launch.ExecutionAction.RECOVER;
import static io.batchyard.launcher.launch.ExecutionAction.RESTART;
import static io.batchyard.launcher.launch.ExecutionAction.STOP;
import static org.assertj.core.api.Assertions.assertThat;

class ExecutionStateTests {

	/** What the last execution of a restartable job on a live node allows. */
	private static final Map<BatchStatus, Set<ExecutionAction>> LAST_ON_LIVE_NODE = new EnumMap<>(Map.of(
			BatchStatus.COMPLETED, Set.of(), BatchStatus.STARTING, Set.of(STOP), BatchStatus.STARTED, Set.of(STOP),
			BatchStatus.STOPPING, Set.of(), BatchStatus.STOPPED, Set.of(RESTART, ABANDON), BatchStatus.FAILED,
			Set.of(RESTART, ABANDON), BatchStatus.ABANDONED, Set.of(), BatchStatus.UNKNOWN, Set.of(ABANDON)));

	@Test
	void theTableCoversEveryStatus() {
		assertThat(LAST_ON_LIVE_NODE.keySet()).isEqualTo(EnumSet.allOf(BatchStatus.class));
	}

	@ParameterizedTest
	@EnumSource(BatchStatus.class)
	void lastExecutionOfARestartableJobOnALiveNode(BatchStatus status) {
		assertThat(new ExecutionState(status, true, true, true).allowedActions())
			.containsExactlyInAnyOrderElementsOf(LAST_ON_LIVE_NODE.get(status));
	}

	@ParameterizedTest
	@EnumSource(BatchStatus.class)
	void aRunningExecutionWhoseNodeDiedIsOnlyRecovered(BatchStatus status) {
		Set<ExecutionAction> actions = new ExecutionState(status, true, true, false).allowedActions();
		if (status.isRunning()) {
			assertThat(actions).containsExactly(RECOVER);
		}
		else {
			assertThat(actions).containsExactlyInAnyOrderElementsOf(LAST_ON_LIVE_NODE.get(status));
		}
	}

	@ParameterizedTest
	@EnumSource(BatchStatus.class)
	void anExecutionFollowedByAnotherOfItsInstanceIsNeitherRestartedNorAbandoned(BatchStatus status) {
		Set<ExecutionAction> actions = new ExecutionState(status, false, true, true).allowedActions();
		assertThat(actions).doesNotContain(RESTART, ABANDON);
		// Running executions are stopped or recovered whatever their position.
		assertThat(actions).isEqualTo(status.isRunning() ? LAST_ON_LIVE_NODE.get(status) : Set.of());
	}

	@ParameterizedTest
	@EnumSource(BatchStatus.class)
	void anExecutionOfAJobNotRegisteredHereIsNeverRestarted(BatchStatus status) {
		Set<ExecutionAction> expected = EnumSet.noneOf(ExecutionAction.class);
		expected.addAll(LAST_ON_LIVE_NODE.get(status));
		expected.remove(RESTART);
		assertThat(new ExecutionState(status, true, false, true).allowedActions())
			.containsExactlyInAnyOrderElementsOf(expected);
	}

	@Test
	void explainsEachRefusal() {
		assertThat(new ExecutionState(BatchStatus.COMPLETED, true, true, true).refusal(STOP))
			.isEqualTo("it is not running");
		assertThat(new ExecutionState(BatchStatus.STOPPING, true, true, true).refusal(STOP))
			.isEqualTo("it is already stopping");
		assertThat(new ExecutionState(BatchStatus.STARTED, true, true, false).refusal(STOP))
			.isEqualTo("its runner node stopped sending heartbeats; recover it instead");
		assertThat(new ExecutionState(BatchStatus.STARTED, true, true, true).refusal(RECOVER))
			.isEqualTo("it is still running on a live runner node");
		assertThat(new ExecutionState(BatchStatus.FAILED, true, true, true).refusal(RECOVER))
			.isEqualTo("it is not running (status FAILED)");
		assertThat(new ExecutionState(BatchStatus.FAILED, false, true, true).refusal(RESTART))
			.isEqualTo("a later execution of the same instance exists");
		assertThat(new ExecutionState(BatchStatus.FAILED, true, false, true).refusal(RESTART))
			.isEqualTo("its job is not registered here or is not restartable");
		assertThat(new ExecutionState(BatchStatus.COMPLETED, true, true, true).refusal(RESTART))
			.isEqualTo("only a FAILED or STOPPED execution can be restarted");
		assertThat(new ExecutionState(BatchStatus.FAILED, false, true, true).refusal(ABANDON))
			.isEqualTo("a later execution of the same instance exists");
		assertThat(new ExecutionState(BatchStatus.COMPLETED, true, true, true).refusal(ABANDON))
			.isEqualTo("only a FAILED, STOPPED or UNKNOWN execution can be abandoned");
	}

}
