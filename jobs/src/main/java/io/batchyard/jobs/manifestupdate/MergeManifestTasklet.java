package io.batchyard.jobs.manifestupdate;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step 5: merge, publish, mark Completed; the database changes commit with the step.
 */
class MergeManifestTasklet implements Tasklet {

	private final ManifestPublisher publisher;

	private final BatchCompletion completion;

	private final Clock clock;

	MergeManifestTasklet(ManifestPublisher publisher, BatchCompletion completion, Clock clock) {
		this.publisher = publisher;
		this.completion = completion;
		this.clock = clock;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		Map<String, Object> parameters = chunkContext.getStepContext().getJobParameters();
		long customer = (Long) parameters.get(ManifestUpdateJobConfiguration.CUSTOMER);
		long batch = (Long) parameters.get(ManifestUpdateJobConfiguration.BATCH_ID);
		contribution.incrementWriteCount(this.publisher.publish(customer, batch,
				this.completion.manifestOf(customer, batch), OffsetDateTime.now(this.clock)));
		return RepeatStatus.FINISHED;
	}

}
