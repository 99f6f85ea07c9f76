package io.batchyard.jobs.enhancement;

import java.util.List;

import io.batchyard.jobs.support.Steps;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the partitioned runs of {@link EnhancementImportJobTests} check instead of the
 * unpartitioned import step's own position and commits: the same for H2 and PostgreSQL.
 */
final class PartitionedImport {

	static final int GRID = 4;

	static final String READER_LINE = EnhancementImportJobConfiguration.READER_NAME + ".line";

	private PartitionedImport() {
	}

	static void gridSize(DynamicPropertyRegistry registry) {
		registry.add("batchyard.jobs.enhancement-import.grid-size", () -> String.valueOf(GRID));
	}

	static List<StepExecution> partitions(JobRepository jobRepository, JobExecution execution) {
		return jobRepository.getJobExecution(execution.getId())
			.getStepExecutions()
			.stream()
			.filter((step) -> step.getStepName().startsWith(EnhancementImportJobConfiguration.RANGE_STEP_NAME + ":"))
			.toList();
	}

	static StepExecution partitionOf(JobRepository jobRepository, JobExecution execution, BatchStatus status) {
		return partitions(jobRepository, execution).stream()
			.filter((p) -> p.getStatus() == status)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No " + status + " partition"));
	}

	/**
	 * Every partition completed, the last read the file's last line, and the resolving
	 * step decided the staged lines and left none.
	 */
	static void assertReadThrough(JdbcTemplate jdbc, JobRepository jobRepository, JobExecution execution, long line,
			long staged) {
		List<StepExecution> partitions = partitions(jobRepository, execution);
		assertThat(partitions).hasSize(GRID)
			.allSatisfy((p) -> assertThat(p.getStatus()).isEqualTo(BatchStatus.COMPLETED));
		assertThat(partitions.stream().mapToLong((p) -> p.getExecutionContext().getLong(READER_LINE)).max())
			.hasValue(line);
		assertThat(Steps.of(execution, EnhancementImportJobConfiguration.RESOLVE_STEP_NAME).getWriteCount())
			.isEqualTo(staged);
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM robot_result_candidate", Integer.class)).isZero();
	}

	/**
	 * The partition holding line 7 failed at its chunk, the others completed, and nothing
	 * was resolved: the entries are only those no other line decides.
	 */
	static void assertFailedAtEntry7(JdbcTemplate jdbc, JobRepository jobRepository, JobExecution failed) {
		List<StepExecution> partitions = partitions(jobRepository, failed);
		assertThat(partitions).hasSize(GRID);
		assertThat(partitions.stream().filter((p) -> p.getStatus() == BatchStatus.FAILED)).hasSize(1);
		assertThat(partitions.stream().filter((p) -> p.getStatus() == BatchStatus.COMPLETED)).hasSize(GRID - 1);
		StepExecution failedPartition = partitionOf(jobRepository, failed, BatchStatus.FAILED);
		assertThat(jobRepository.getStepExecution(failedPartition.getId()).getExecutionContext().getLong(READER_LINE))
			.isLessThan(7);
		assertThat(failed.getStepExecutions()).extracting(StepExecution::getStepName)
			.doesNotContain(EnhancementImportJobConfiguration.RESOLVE_STEP_NAME);
		assertThat(jdbc.queryForList("SELECT DISTINCT outcome FROM robot_result_validation_entry", String.class))
			.isSubsetOf("parse_failure", "not_in_batch");
		assertThat(
				jdbc.queryForList("SELECT entry_number FROM robot_result_candidate ORDER BY entry_number", Long.class))
			.doesNotContain(7L)
			.isSubsetOf(1L, 3L, 8L);
	}

	/** Only the failed partition ran again, from its last commit. */
	static void assertResumedAfterEntry7(JobRepository jobRepository, JobExecution failed, JobExecution restarted) {
		StepExecution failedPartition = partitionOf(jobRepository, failed, BatchStatus.FAILED);
		long saved = jobRepository.getStepExecution(failedPartition.getId()).getExecutionContext().getLong(READER_LINE);
		List<StepExecution> rerun = partitions(jobRepository, restarted);
		assertThat(rerun).extracting(StepExecution::getStepName).containsExactly(failedPartition.getStepName());
		long last = rerun.get(0).getExecutionContext().getLong(READER_LINE);
		assertThat(last).isGreaterThanOrEqualTo(7);
		assertThat(rerun.get(0).getReadCount()).isEqualTo(last - saved);
	}

}
