package io.batchyard.jobs.partition;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.support.SimpleStepExecutionSplitter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Keeps a restart on the split its job instance started with, whatever the grid size
 * configured on the node that restarts it.
 * <p>
 * The grid size of a step's first run is in its step execution context, which a restart's
 * copies: for the manager of a partitioned step Spring Batch's splitter keeps it there,
 * and the unpartitioned step records 1 ({@link #unpartitioned()}). Spring Batch's
 * partition step already restarts the partitions of its first split whatever grid size it
 * is given now (the splitter reads its own key back), so a change between two grid sizes
 * above 1 costs nothing: the restart runs the original partitions. Between 1 and more
 * than 1 the job's steps differ (one step over the whole input, or partitions and, for
 * the import, a resolving step after them): a restart under the other shape would read
 * the input again from its first line, or leave staged lines behind. So the job listener
 * refuses such a restart before any step runs: the new execution fails with a description
 * that names both grid sizes and the setting, and the instance can still be restarted
 * where the grid size matches.
 */
public class GridSizeCheck implements JobExecutionListener {

	/**
	 * The key of the unpartitioned step's grid size (1) in its step execution context.
	 */
	public static final String GRID_SIZE = "batchyard.partitioning.gridSize";

	/** Where Spring Batch's splitter keeps the grid size of a partition step. */
	private static final String SPLITTER_GRID_SIZE = SimpleStepExecutionSplitter.class.getSimpleName() + ".GRID_SIZE";

	private static final Log logger = LogFactory.getLog(GridSizeCheck.class);

	private final JobRepository jobRepository;

	private final String stepName;

	private final int gridSize;

	private final String property;

	/**
	 * @param jobRepository where the earlier runs of the step are read
	 * @param stepName the step that is partitioned above grid size 1
	 * @param gridSize the grid size this node would run it with
	 * @param property the setting of that grid size, for the message
	 */
	public GridSizeCheck(JobRepository jobRepository, String stepName, int gridSize, String property) {
		this.jobRepository = jobRepository;
		this.stepName = stepName;
		this.gridSize = gridSize;
		this.property = property;
	}

	/**
	 * The listener of the unpartitioned step, recording that it ran with grid size 1.
	 * @return the listener
	 */
	static StepExecutionListener unpartitioned() {
		return new StepExecutionListener() {
			@Override
			public void beforeStep(StepExecution stepExecution) {
				stepExecution.getExecutionContext().putInt(GRID_SIZE, 1);
			}
		};
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		StepExecution last = this.jobRepository.getLastStepExecution(jobExecution.getJobInstance(), this.stepName);
		if (last == null) {
			return;
		}
		Integer original = recorded(last.getExecutionContext());
		if (original == null || original == this.gridSize) {
			return;
		}
		String job = jobExecution.getJobInstance().getJobName();
		if (original == 1 || this.gridSize == 1) {
			throw new IllegalStateException("Cannot restart " + job + " instance " + jobExecution.getJobInstanceId()
					+ " with grid size " + this.gridSize + ": its step " + this.stepName + " ran with grid size "
					+ original + " (execution " + last.getJobExecutionId() + "), and the other shape of the step would"
					+ " read its input again or leave part of it behind. Restart it where " + this.property + "="
					+ original + ", or abandon it and launch again");
		}
		logger.info(job + " execution " + jobExecution.getId() + ": " + this.stepName + " keeps the " + original
				+ " partitions of its first run; this node's grid size (" + this.property + ") is " + this.gridSize);
	}

	private static Integer recorded(ExecutionContext context) {
		if (context.containsKey(GRID_SIZE)) {
			return context.getInt(GRID_SIZE);
		}
		// A partitioned step: the splitter's record of the grid size it split with.
		return context.containsKey(SPLITTER_GRID_SIZE) ? (int) context.getLong(SPLITTER_GRID_SIZE) : null;
	}

}
