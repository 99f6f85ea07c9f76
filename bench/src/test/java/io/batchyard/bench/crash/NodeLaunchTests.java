package io.batchyard.bench.crash;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.batchyard.bench.crash.Node.Answer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The campaign launches as a client honouring the API would (finding 8): a 503 is tried
 * again, and a 409 after a retry names the execution the first attempt started.
 */
class NodeLaunchTests {

	private static final long DEADLINE = System.nanoTime() + Duration.ofSeconds(30).toNanos();

	@Test
	void aLaunchAnswered503IsTriedAgain() {
		AtomicInteger attempts = new AtomicInteger();
		ArrayDeque<Answer> answers = new ArrayDeque<>(List.of(new Answer(503, "{\"error\":\"db\",\"status\":503}", 0),
				new Answer(202, "{\"executionId\":12}", 0)));
		long id = Node.launch("repositoryPurgeJob", () -> {
			attempts.incrementAndGet();
			return answers.poll();
		}, DEADLINE, Duration.ZERO);
		assertThat(id).isEqualTo(12);
		assertThat(attempts).hasValue(2);
	}

	@Test
	void aConflictAfterARetryNamesTheExecutionTheFirstAttemptStarted() {
		ArrayDeque<Answer> answers = new ArrayDeque<>(List.of(new Answer(503, "", 0),
				new Answer(409, "{\"error\":\"already running\",\"status\":409,\"executionId\":7}", 0)));
		assertThat(Node.launch("repositoryPurgeJob", answers::poll, DEADLINE, Duration.ZERO)).isEqualTo(7);
	}

	@Test
	void aConflictOnTheFirstAttemptAndOtherErrorsFail() {
		assertThatIllegalStateException().isThrownBy(() -> Node.launch("repositoryPurgeJob",
				() -> new Answer(409, "{\"error\":\"already running\",\"status\":409,\"executionId\":7}", 0), DEADLINE,
				Duration.ZERO))
			.withMessageContaining("answered 409");
		ArrayDeque<Answer> answers = new ArrayDeque<>(
				List.of(new Answer(503, "", 0), new Answer(400, "{\"error\":\"bad\",\"status\":400}", 0)));
		assertThatIllegalStateException()
			.isThrownBy(() -> Node.launch("repositoryPurgeJob", answers::poll, DEADLINE, Duration.ZERO))
			.withMessageContaining("answered 400");
	}

	@Test
	void aDatabaseThatStaysDownFailsAtTheDeadline() {
		long past = System.nanoTime() - 1;
		assertThatIllegalStateException()
			.isThrownBy(() -> Node.launch("repositoryPurgeJob", () -> new Answer(503, "", 0), past, Duration.ZERO))
			.withMessageContaining("answered 503");
	}

}
