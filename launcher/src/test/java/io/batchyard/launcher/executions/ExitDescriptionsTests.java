package io.batchyard.launcher.executions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.ExitStatus;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

class ExitDescriptionsTests {

	@Test
	void aStackTraceBecomesItsRootCauseInOneSentence() {
		Exception failure = new IllegalStateException("Chunk failed",
				new UncheckedIOException("wrapped", new IOException("No space left on device")));
		String description = ExitStatus.FAILED.addExitDescription(failure).getExitDescription();
		assertThat(description).contains("\tat ").contains("Caused by: ");

		assertThat(ExitDescriptions.summary(description)).isEqualTo("IOException: No space left on device");
	}

	@Test
	void anExceptionWithoutCauseIsItsTypeAndMessage() {
		String description = ExitStatus.FAILED.addExitDescription(new IllegalArgumentException("bad input"))
			.getExitDescription();
		assertThat(ExitDescriptions.summary(description)).isEqualTo("IllegalArgumentException: bad input");
	}

	@Test
	void aRootCauseWithoutMessageIsItsType() {
		String description = ExitStatus.FAILED
			.addExitDescription(new RuntimeException("outer", new NullPointerException()))
			.getExitDescription();
		assertThat(ExitDescriptions.summary(description)).isEqualTo("NullPointerException");
	}

	@Test
	void aMultiLineMessageIsJoinedOnOneLine() {
		SQLException root = new SQLException("Connection refused\nCheck that the host is reachable");
		String description = ExitStatus.FAILED
			.addExitDescription(new DataAccessResourceFailureException("Could not get JDBC Connection", root))
			.getExitDescription();
		assertThat(ExitDescriptions.summary(description))
			.isEqualTo("SQLException: Connection refused Check that the host is reachable");
	}

	@Test
	void textJoinedBeforeTheTraceIsLeftOut() {
		String description = ExitStatus.FAILED.addExitDescription("Step failed")
			.addExitDescription(new IllegalStateException("disk full"))
			.getExitDescription();
		assertThat(description).startsWith("Step failed; java.lang.IllegalStateException");
		assertThat(ExitDescriptions.summary(description)).isEqualTo("IllegalStateException: disk full");
	}

	@Test
	void suppressedExceptionsAreNotTheCause() {
		IllegalStateException failure = new IllegalStateException("write failed", new IOException("broken pipe"));
		failure.addSuppressed(new IllegalArgumentException("while closing", new IOException("already closed")));
		String description = ExitStatus.FAILED.addExitDescription(failure).getExitDescription();
		assertThat(ExitDescriptions.summary(description)).isEqualTo("IOException: broken pipe");
	}

	@Test
	void aTraceCutShortByTheColumnLengthUsesTheLastCompleteCause() {
		String description = "org.springframework.batch.core.step.FatalStepExecutionException: Unexpected error\n"
				+ "\tat org.springframework.batch.core.step.item.ChunkOrientedStep.doExecute(ChunkOrientedStep.java:1)\n"
				+ "Caused by: java.net.ConnectException: Connection refused\n"
				+ "\tat java.base/sun.nio.ch.Net.connect0(Native Method)\n" + "Caused by: java.lang.Ill";
		assertThat(ExitDescriptions.summary(description)).isEqualTo("ConnectException: Connection refused");
	}

	@Test
	void aLongMessageIsShortened() {
		String description = ExitStatus.FAILED.addExitDescription(new IllegalStateException("x".repeat(1000)))
			.getExitDescription();
		String summary = ExitDescriptions.summary(description);
		assertThat(summary).startsWith("IllegalStateException: xxx").endsWith("…").hasSize(ExitDescriptions.MAX_LENGTH);
	}

	@Test
	void theCauseIsPutBeforeTheTraceAndShownAlone() {
		Exception failure = new IllegalStateException("Chunk failed",
				new UncheckedIOException("wrapped", new IOException("No space left on device")));
		String trace = ExitStatus.FAILED.addExitDescription(failure).getExitDescription();
		assertThat(ExitDescriptions.cause(failure)).isEqualTo("IOException: No space left on device");

		String stored = ExitDescriptions.causeFirst(trace, failure);
		assertThat(stored).isEqualTo("IOException: No space left on device\n\n" + trace);
		assertThat(ExitDescriptions.causeFirst(stored, failure)).as("once only").isEqualTo(stored);
		// Cut at the column's length, long before its causes: the sentence survives.
		String cut = stored.substring(0, 400);
		assertThat(cut).doesNotContain("Caused by");
		assertThat(ExitDescriptions.summary(cut)).isEqualTo("IOException: No space left on device");
	}

	@Test
	void aReportIsNotGivenACause() {
		String report = "Removed 12 job-repository rows: 3 job executions, 1 job instances";
		assertThat(ExitDescriptions.causeFirst(report, new IllegalStateException("x"))).isEqualTo(report);
		assertThat(ExitDescriptions.causeFirst(null, new IllegalStateException("x"))).isNull();
	}

	@Test
	void aDescriptionWithoutStackTraceIsKeptAsWritten() {
		String report = "Removed 12 job-repository rows: 3 job executions, 1 job instances";
		assertThat(ExitDescriptions.summary(report)).isEqualTo(report);
		String multiLine = "Imported 10 enhancements\nRejected 2 lines: at line 3 and at line 7";
		assertThat(ExitDescriptions.summary(multiLine)).isEqualTo(multiLine);
		assertThat(ExitDescriptions.summary("")).isEmpty();
		assertThat(ExitDescriptions.summary(null)).isNull();
	}

}
