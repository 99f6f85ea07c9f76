package io.batchyard.jobs.partition;

import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobExecutionException;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.util.StringUtils;

/**
 * Gives a job whose partitioned step failed the exit description of the partition that
 * failed it. Spring Batch's partition step fails with
 * "{@value #PARTITION_HANDLER_FAILED}" whatever went wrong, and in remote mode the
 * partition's exception stays on the worker node that ran it; what the partition's own
 * step execution stored (its exit description: the exception, or why a dead node's
 * partition was recovered) says what went wrong, and the repository has it whichever node
 * ran the partition.
 */
public class PartitionFailureListener implements JobExecutionListener {

	/** The message of Spring Batch's {@code PartitionStep} when a partition failed. */
	public static final String PARTITION_HANDLER_FAILED = "Partition handler returned an unsuccessful step";

	/** The key of a failed partition's description in its step execution context. */
	public static final String FAILURE = "batchyard.partition.failure";

	/** At most this many characters of a description, like an exit description. */
	private static final int MAX_DESCRIPTION = 2000;

	private static final Log logger = LogFactory.getLog(PartitionFailureListener.class);

	private final JobRepository jobRepository;

	/**
	 * @param jobRepository where the partitions' step executions are read from
	 */
	public PartitionFailureListener(JobRepository jobRepository) {
		this.jobRepository = jobRepository;
	}

	/**
	 * The listener {@link PartitionSteps#worker} puts on every partition step: a failed
	 * partition stores what failed it under {@value #FAILURE} in its execution context,
	 * which the repository keeps whichever node ran it.
	 * @param describe the description of the partition's first failure
	 * @return the listener
	 */
	static StepExecutionListener recording(Function<Throwable, String> describe) {
		return new StepExecutionListener() {
			@Override
			public ExitStatus afterStep(StepExecution stepExecution) {
				if (stepExecution.getStatus() == BatchStatus.FAILED
						&& !stepExecution.getFailureExceptions().isEmpty()) {
					stepExecution.getExecutionContext()
						.putString(FAILURE, describe.apply(stepExecution.getFailureExceptions().get(0)));
				}
				return null;
			}
		};
	}

	/**
	 * An exception and its causes on one line, each once.
	 * @param failure the exception
	 * @return {@code Outer: message; caused by Inner: message}
	 */
	public static String causes(Throwable failure) {
		StringBuilder description = new StringBuilder();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
			if (!description.isEmpty()) {
				description.append("; caused by ");
			}
			description.append(cause.getClass().getSimpleName());
			if (cause.getMessage() != null) {
				description.append(": ").append(cause.getMessage());
			}
		}
		return (description.length() > MAX_DESCRIPTION) ? description.substring(0, MAX_DESCRIPTION) + "…"
				: description.toString();
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		if (jobExecution.getStatus() != BatchStatus.FAILED || !failedInAPartition(jobExecution)) {
			return;
		}
		failedPartition(this.jobRepository, jobExecution).ifPresent((description) -> {
			logger.error(jobExecution.getJobInstance().getJobName() + " execution " + jobExecution.getId()
					+ " failed in a partition: " + description);
			jobExecution.setExitStatus(new ExitStatus(jobExecution.getExitStatus().getExitCode(), description));
		});
	}

	/**
	 * Whether a partitioned step of the execution failed because a partition failed.
	 * @param jobExecution the execution
	 * @return whether its failures hold the partition step's
	 */
	public static boolean failedInAPartition(JobExecution jobExecution) {
		return jobExecution.getAllFailureExceptions()
			.stream()
			.anyMatch((failure) -> failure instanceof JobExecutionException
					&& PARTITION_HANDLER_FAILED.equals(failure.getMessage()));
	}

	/**
	 * The failed partitions of the execution as stored in the repository, by step
	 * execution id.
	 * @param jobRepository the repository
	 * @param jobExecution the execution
	 * @return its failed partition step executions
	 */
	public static List<StepExecution> failedPartitions(JobRepository jobRepository, JobExecution jobExecution) {
		JobExecution stored = jobRepository.getJobExecution(jobExecution.getId());
		return ((stored != null) ? stored.getStepExecutions() : List.<StepExecution>of()).stream()
			.filter((step) -> step.getStatus() == BatchStatus.FAILED && step.getStepName().contains(":"))
			.sorted(Comparator.comparing(StepExecution::getId))
			.toList();
	}

	/**
	 * The first failed partition of the execution (by step execution id) as stored in the
	 * repository, described by its name and what the partition stored, or else its exit
	 * description.
	 * @param jobRepository the repository
	 * @param jobExecution the execution
	 * @return {@code "<step>:<partition> failed: <description>"}, or empty if no failed
	 * partition stored a description
	 */
	public static Optional<String> failedPartition(JobRepository jobRepository, JobExecution jobExecution) {
		return firstDescribed(failedPartitions(jobRepository, jobExecution));
	}

	/**
	 * The first of the failed partitions with a description, by name and description.
	 * @param failed failed partition step executions
	 * @return {@code "<step>:<partition> failed: <description>"}, or empty
	 */
	public static Optional<String> firstDescribed(List<StepExecution> failed) {
		return failed.stream()
			.filter((step) -> StringUtils.hasText(description(step)))
			.findFirst()
			.map((step) -> step.getStepName() + " failed: " + description(step));
	}

	/**
	 * What a failed partition stored about its failure.
	 * @param partition the partition's step execution
	 * @return the description, or {@code null} if it stored none (its node died)
	 */
	public static String stored(StepExecution partition) {
		return partition.getExecutionContext().getString(FAILURE, null);
	}

	private static String description(StepExecution partition) {
		String stored = stored(partition);
		return (stored != null) ? stored : partition.getExitStatus().getExitDescription();
	}

}
