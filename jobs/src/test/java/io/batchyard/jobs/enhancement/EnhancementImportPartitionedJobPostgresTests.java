package io.batchyard.jobs.enhancement;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link EnhancementImportPartitionedJobH2Tests} on PostgreSQL.
 */
class EnhancementImportPartitionedJobPostgresTests extends EnhancementImportJobPostgresTests {

	@DynamicPropertySource
	static void gridSize(DynamicPropertyRegistry registry) {
		PartitionedImport.gridSize(registry);
	}

	@Override
	void injectFault(long entryNumber) {
		this.jdbc.execute("CREATE OR REPLACE FUNCTION candidate_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
				+ " IF NEW.entry_number = " + entryNumber + " THEN"
				+ " RAISE EXCEPTION 'Injected fault: cannot stage line %', NEW.entry_number;"
				+ " END IF; RETURN NEW; END $$");
		this.jdbc.execute("CREATE TRIGGER candidate_fault BEFORE INSERT ON robot_result_candidate"
				+ " FOR EACH ROW EXECUTE FUNCTION candidate_fault()");
	}

	@Override
	void removeFault() {
		this.jdbc.execute("DROP TRIGGER IF EXISTS candidate_fault ON robot_result_candidate");
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
