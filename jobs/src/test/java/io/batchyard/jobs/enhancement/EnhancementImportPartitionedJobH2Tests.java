package io.batchyard.jobs.enhancement;

import io.batchyard.jobs.support.H2InsertFault;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every test of {@link EnhancementImportJobTests} with the import in 4 local partitions:
 * the same report, rows and statuses. Only the import step's bookkeeping differs (its
 * partitions', checked by {@link PartitionedImport}), and the fault fails the staging of
 * line 7 in its partition instead of its validation entry.
 */
class EnhancementImportPartitionedJobH2Tests extends EnhancementImportJobH2Tests {

	private String candidateFault;

	@DynamicPropertySource
	static void gridSize(DynamicPropertyRegistry registry) {
		PartitionedImport.gridSize(registry);
	}

	@Override
	void injectFault(long entryNumber) {
		this.candidateFault = "CANDIDATE_FAULT_" + entryNumber;
		this.jdbc.execute("CREATE TRIGGER " + this.candidateFault + " BEFORE INSERT ON robot_result_candidate"
				+ " FOR EACH ROW CALL \"" + H2InsertFault.class.getName() + "\"");
	}

	@Override
	void removeFault() {
		if (this.candidateFault != null) {
			this.jdbc.execute("DROP TRIGGER IF EXISTS " + this.candidateFault);
			this.candidateFault = null;
		}
	}

	@Override
	void assertReadThrough(JobExecution execution, long line, int commits) {
		PartitionedImport.assertReadThrough(this.jdbc, this.jobRepository, execution, line, 4);
	}

	@Override
	void assertFailedAtEntry7(JobExecution failed) {
		PartitionedImport.assertFailedAtEntry7(this.jdbc, this.jobRepository, failed);
	}

	@Override
	void assertResumedAfterEntry7(JobExecution failed, JobExecution restarted) {
		PartitionedImport.assertResumedAfterEntry7(this.jobRepository, failed, restarted);
	}

}
