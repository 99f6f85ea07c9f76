package io.batchyard.jobs.housekeeping;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.batchyard.jobs.support.JobsTest;
import io.batchyard.test.RepositoryFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code repositoryPurgeJob} over realistic metadata, on one database (the subclasses).
 * Chunks of 3 (test {@code application.properties}); 12 of the 19 seeded executions are
 * purge candidates.
 */
@JobsTest
abstract class RepositoryPurgeJobTests {

	static final String AS_OF = "2026-11-23T03:30:00Z";

	/** The reference time in the repository's time base (local date-times). */
	static final LocalDateTime NOW = LocalDateTime.ofInstant(Instant.parse(AS_OF), ZoneId.systemDefault());

	@Autowired
	JobOperatorTestUtils jobUtils;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	@Qualifier(RepositoryPurgeJobConfiguration.JOB_NAME)
	Job repositoryPurgeJob;

	Seeded seeded;

	/**
	 * Makes deleting one job execution fail with a database error.
	 * @param jobExecutionId the execution
	 */
	abstract void injectDeleteFault(long jobExecutionId);

	abstract void removeDeleteFault();

	@BeforeEach
	void seed() {
		this.seeded = Seeded.into(new RepositoryFixture(this.jobRepository));
	}

	@AfterEach
	void cleanUp() {
		removeDeleteFault();
		this.repositoryUtils.removeJobExecutions();
	}

	@Test
	void purgesFinishedExecutionsOlderThanTheRetentionAndKeepsRestartableRunningAndRecentOnes() throws Exception {
		JobExecution execution = this.jobUtils.startJob(purgeParameters());

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitDescription())
			.isEqualTo("Removed 70 job-repository rows: 12 job executions, 10 job instances");
		StepExecution step = RepositoryFixture.onlyStep(execution);
		assertThat(step.getReadCount()).isEqualTo(12);
		assertThat(step.getWriteCount()).isEqualTo(12);
		assertThat(step.getFilterCount()).isZero();
		assertThat(step.getCommitCount()).isEqualTo(4);
		assertThat(step.getRollbackCount()).isZero();
		assertThat(RepositoryPurgeWriter.read(step.getExecutionContext())).isEqualTo(new PurgeCounts(12, 10, 70));
		assertRemainingRowsAfterACompletePurge(execution);
	}

	@Test
	void restartAfterADatabaseFaultResumesAfterTheLastCommittedChunk() throws Exception {
		// The 7th candidate opens the third chunk: chunks 1 and 2 commit, chunk 3 fails.
		long faulty = this.seeded.candidates().get(6);
		injectDeleteFault(faulty);

		JobExecution first = this.jobUtils.startJob(purgeParameters());

		assertThat(first.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(first.getExitStatus().getExitDescription())
			.contains("Injected fault: cannot delete job execution " + faulty)
			.endsWith("Removed 36 job-repository rows: 6 job executions, 6 job instances");
		StepExecution failedStep = RepositoryFixture.onlyStep(first);
		assertThat(failedStep.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(failedStep.getWriteCount()).isEqualTo(6);
		assertThat(failedStep.getCommitCount()).isEqualTo(2);
		assertThat(failedStep.getRollbackCount()).isEqualTo(1);
		assertThat(remainingExecutionIds()).containsAll(this.seeded.candidates().subList(6, 12))
			.doesNotContainAnyElementsOf(this.seeded.candidates().subList(0, 6));
		assertThat(this.jobRepository.getStepExecution(failedStep.getId())
			.getExecutionContext()
			.getInt("repositoryPurgeReader.read.count")).isEqualTo(6);

		removeDeleteFault();
		JobExecution second = this.jobUtils.startJob(purgeParameters());

		assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(second.getJobInstance().getInstanceId()).isEqualTo(first.getJobInstance().getInstanceId());
		assertThat(this.jobRepository.getJobExecutions(second.getJobInstance())).extracting(JobExecution::getId)
			.containsExactlyInAnyOrder(first.getId(), second.getId());
		assertThat(this.jobRepository.getJobInstanceCount(RepositoryPurgeJobConfiguration.JOB_NAME)).isEqualTo(1);
		StepExecution resumed = RepositoryFixture.onlyStep(second);
		assertThat(resumed.getReadCount()).isEqualTo(6);
		assertThat(resumed.getWriteCount()).isEqualTo(6);
		assertThat(resumed.getCommitCount()).isEqualTo(2);
		assertThat(failedStep.getWriteCount() + resumed.getWriteCount()).isEqualTo(12);
		// The report covers both executions and equals the uninterrupted run's.
		assertThat(second.getExitStatus().getExitDescription())
			.isEqualTo("Removed 70 job-repository rows: 12 job executions, 10 job instances");
		assertThat(RepositoryPurgeWriter.read(resumed.getExecutionContext())).isEqualTo(new PurgeCounts(12, 10, 70));
		assertRemainingRowsAfterACompletePurge(first, second);
	}

	@Test
	void theReportIsStoredWithTheFinalStatusNotInALaterUpdate() throws Exception {
		// Spring Batch 6 stores the job's final status, then runs the afterJob listeners,
		// then stores the execution again: a node killed between the two leaves what the
		// first update stored, which no recovery revisits once it says COMPLETED.
		List<Map<String, Object>> storedBeforeTheJobListeners = new CopyOnWriteArrayList<>();
		// The job bean is shared by the context's tests: the probe listens during this
		// test only (a job cannot unregister a listener).
		AtomicBoolean listening = new AtomicBoolean(true);
		((AbstractJob) this.repositoryPurgeJob).registerJobExecutionListener(new JobExecutionListener() {
			@Override
			public void afterJob(JobExecution jobExecution) {
				if (listening.get()) {
					storedBeforeTheJobListeners.add(RepositoryPurgeJobTests.this.jdbc.queryForMap(
							"SELECT STATUS, EXIT_CODE, EXIT_MESSAGE FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?",
							jobExecution.getId()));
				}
			}
		});

		JobExecution execution;
		try {
			execution = this.jobUtils.startJob(purgeParameters());
		}
		finally {
			listening.set(false);
		}

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(storedBeforeTheJobListeners).singleElement()
			.satisfies((row) -> assertThat(row).containsEntry("STATUS", "COMPLETED")
				.containsEntry("EXIT_CODE", "COMPLETED")
				.containsEntry("EXIT_MESSAGE", "Removed 70 job-repository rows: 12 job executions, 10 job instances"));
		assertThat(this.jobRepository.getJobExecution(execution.getId()).getExitStatus().getExitDescription())
			.isEqualTo("Removed 70 job-repository rows: 12 job executions, 10 job instances");
		assertThat(this.jobRepository.getStepExecution(RepositoryFixture.onlyStep(execution).getId())
			.getExitStatus()
			.getExitDescription()).isEqualTo("Removed 70 job-repository rows: 12 job executions, 10 job instances");
	}

	@Test
	void findsNothingToPurgeWhenEverythingIsWithinTheRetention() throws Exception {
		JobExecution execution = this.jobUtils
			.startJob(new JobParametersBuilder().addString("asOf", "2026-09-01T00:00:00Z").toJobParameters());

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitDescription())
			.isEqualTo("Removed 0 job-repository rows: 0 job executions, 0 job instances");
		assertThat(RepositoryFixture.onlyStep(execution).getReadCount()).isZero();
		assertThat(RepositoryFixture.onlyStep(execution).getWriteCount()).isZero();
		assertThat(remainingExecutionIds()).containsAll(this.seeded.candidates()).containsAll(this.seeded.kept());
	}

	@Test
	void acceptsTheScheduleFireTimeAsReferenceTime() throws Exception {
		JobExecution execution = this.jobUtils
			.startJob(new JobParametersBuilder().addString("fireTime", AS_OF).toJobParameters());

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitDescription())
			.isEqualTo("Removed 70 job-repository rows: 12 job executions, 10 job instances");
	}

	@Test
	void refusesToStartWithoutAReferenceTime() {
		assertThatExceptionOfType(InvalidJobParametersException.class)
			.isThrownBy(() -> this.jobUtils.startJob(new JobParameters()))
			.withMessageContaining("needs the identifying parameter 'asOf'");
		// Spring Batch 6 validates after it created the instance: an instance without
		// executions is left behind (the launcher's launch service validates first).
		assertThat(this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I"
						+ " ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID WHERE I.JOB_NAME = 'repositoryPurgeJob'",
				Long.class))
			.isZero();
		assertThat(remainingExecutionIds()).hasSize(19);
	}

	private void assertRemainingRowsAfterACompletePurge(JobExecution... purgeExecutions) {
		List<Long> purgeIds = Stream.of(purgeExecutions).map(JobExecution::getId).toList();
		assertThat(remainingExecutionIds()).containsExactlyInAnyOrderElementsOf(
				Stream.concat(this.seeded.kept().stream(), purgeIds.stream()).toList());
		int purges = purgeExecutions.length;
		// Kept: 5 instances, 7 executions (one with two steps), each with a parameter and
		// a context; the purge adds its instance and per execution one parameter,
		// context, step.
		assertThat(tableCounts())
			.containsExactlyInAnyOrderEntriesOf(Map.of("BATCH_JOB_INSTANCE", 5L + 1, "BATCH_JOB_EXECUTION", 7L + purges,
					"BATCH_JOB_EXECUTION_PARAMS", 7L + purges, "BATCH_JOB_EXECUTION_CONTEXT", 7L + purges,
					"BATCH_STEP_EXECUTION", 8L + purges, "BATCH_STEP_EXECUTION_CONTEXT", 8L + purges));
		assertThat(this.jdbc.queryForList("SELECT JOB_NAME FROM BATCH_JOB_INSTANCE ORDER BY JOB_INSTANCE_ID",
				String.class))
			.containsExactly("recentRetry", "restartable", "stopped", "running", "recent", "repositoryPurgeJob");
	}

	private Map<String, Long> tableCounts() {
		return Stream
			.of("BATCH_JOB_INSTANCE", "BATCH_JOB_EXECUTION", "BATCH_JOB_EXECUTION_PARAMS",
					"BATCH_JOB_EXECUTION_CONTEXT", "BATCH_STEP_EXECUTION", "BATCH_STEP_EXECUTION_CONTEXT")
			.collect(java.util.stream.Collectors.toMap((table) -> table,
					(table) -> this.jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class)));
	}

	List<Long> remainingExecutionIds() {
		return this.jdbc.queryForList("SELECT JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION", Long.class);
	}

	static JobParameters purgeParameters() {
		return new JobParametersBuilder().addString("asOf", AS_OF).toJobParameters();
	}

	/**
	 * The seeded metadata, in creation (id) order: 12 purge candidates ended more than
	 * the 30-day retention before {@link #NOW}, and 7 executions the purge must keep.
	 */
	record Seeded(List<Long> candidates, List<Long> kept) {

		static Seeded into(RepositoryFixture fixture) {
			List<Long> candidates = new java.util.ArrayList<>();
			List<Long> kept = new java.util.ArrayList<>();
			for (int i = 1; i <= 8; i++) {
				JobInstance old = fixture.instance("nightlyImport", "2026-09-0" + i);
				candidates.add(fixture.execution(old, BatchStatus.COMPLETED, NOW.minusDays(60)).getId());
			}
			JobInstance abandoned = fixture.instance("abandoned", "a");
			candidates.add(fixture.execution(abandoned, BatchStatus.ABANDONED, NOW.minusDays(45)).getId());
			JobInstance retried = fixture.instance("retried", "r");
			candidates.add(fixture.execution(retried, BatchStatus.FAILED, NOW.minusDays(50)).getId());
			candidates.add(fixture.execution(retried, BatchStatus.COMPLETED, NOW.minusDays(49)).getId());
			// An old failure restarted recently: the old execution goes, the instance
			// stays.
			JobInstance recentRetry = fixture.instance("recentRetry", "rr");
			candidates.add(fixture.execution(recentRetry, BatchStatus.FAILED, NOW.minusDays(40)).getId());
			kept.add(fixture.execution(recentRetry, BatchStatus.COMPLETED, NOW.minusDays(1)).getId());
			// Restartable: the last execution FAILED after one whose first step
			// COMPLETED.
			JobInstance restartable = fixture.instance("restartable", "x");
			kept.add(fixture
				.execution(restartable, BatchStatus.FAILED, NOW.minusDays(55), BatchStatus.COMPLETED,
						BatchStatus.FAILED)
				.getId());
			kept.add(fixture.execution(restartable, BatchStatus.FAILED, NOW.minusDays(54)).getId());
			JobInstance stopped = fixture.instance("stopped", "s");
			kept.add(fixture.execution(stopped, BatchStatus.STOPPED, NOW.minusDays(35)).getId());
			// Running since long ago, after an old failure.
			JobInstance running = fixture.instance("running", "n");
			kept.add(fixture.execution(running, BatchStatus.FAILED, NOW.minusDays(60)).getId());
			kept.add(fixture.execution(running, BatchStatus.STARTED, null).getId());
			JobInstance recent = fixture.instance("recent", "c");
			kept.add(fixture.execution(recent, BatchStatus.COMPLETED, NOW.minusDays(2)).getId());
			return new Seeded(List.copyOf(candidates), List.copyOf(kept));
		}

	}

}
