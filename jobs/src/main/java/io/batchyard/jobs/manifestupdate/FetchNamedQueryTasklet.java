package io.batchyard.jobs.manifestupdate;

import java.util.Map;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step 3: one call, one transaction (the canvases of the batch are replaced at once).
 */
class FetchNamedQueryTasklet implements Tasklet {

	private final NamedQueryProjection projection;

	private final BatchCompletion completion;

	FetchNamedQueryTasklet(NamedQueryProjection projection, BatchCompletion completion) {
		this.projection = projection;
		this.completion = completion;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		Map<String, Object> parameters = chunkContext.getStepContext().getJobParameters();
		long customer = (Long) parameters.get(ManifestUpdateJobConfiguration.CUSTOMER);
		long batch = (Long) parameters.get(ManifestUpdateJobConfiguration.BATCH_ID);
		contribution
			.incrementWriteCount(this.projection.fetch(customer, batch, this.completion.manifestOf(customer, batch)));
		return RepeatStatus.FINISHED;
	}

}
