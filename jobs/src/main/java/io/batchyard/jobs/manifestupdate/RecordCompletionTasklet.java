package io.batchyard.jobs.manifestupdate;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step 1: records the completion and ends the step with the exit code the job's flow
 * branches on.
 */
class RecordCompletionTasklet implements Tasklet {

	private final BatchCompletion completion;

	private final long customer;

	private final long batch;

	private final String finished;

	private final Clock clock;

	RecordCompletionTasklet(BatchCompletion completion, long customer, long batch, String finished, Clock clock) {
		this.completion = completion;
		this.customer = customer;
		this.batch = batch;
		this.finished = finished;
		this.clock = clock;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		OffsetDateTime now = OffsetDateTime.now(this.clock);
		BatchCompletion.Outcome outcome = this.completion.record(this.customer, this.batch, finished(), now);
		String code = ManifestUpdateJobConfiguration.exitCode(outcome);
		if (!ExitStatus.COMPLETED.getExitCode().equals(code)) {
			contribution.setExitStatus(new ExitStatus(code, "batch " + this.batch + " of customer " + this.customer));
		}
		return RepeatStatus.FINISHED;
	}

	private OffsetDateTime finished() {
		if (this.finished == null || this.finished.isBlank()) {
			return null;
		}
		try {
			return OffsetDateTime.parse(this.finished);
		}
		catch (DateTimeParseException ex) {
			// System.Text.Json writes a DateTime of kind Unspecified without an offset:
			// the DLCS stores UTC.
			return LocalDateTime.parse(this.finished).atOffset(ZoneOffset.UTC);
		}
	}

}
