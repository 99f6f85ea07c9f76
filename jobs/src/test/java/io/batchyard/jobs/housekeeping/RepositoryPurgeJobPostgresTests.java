package io.batchyard.jobs.housekeeping;

import io.batchyard.jobs.support.PostgresTest;

@PostgresTest
class RepositoryPurgeJobPostgresTests extends RepositoryPurgeJobTests {

	@Override
	void injectDeleteFault(long jobExecutionId) {
		this.jdbc.execute("CREATE OR REPLACE FUNCTION purge_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
				+ " IF OLD.job_execution_id = " + jobExecutionId + " THEN"
				+ " RAISE EXCEPTION 'Injected fault: cannot delete job execution %', OLD.job_execution_id;"
				+ " END IF; RETURN OLD; END $$");
		this.jdbc.execute("CREATE TRIGGER purge_fault BEFORE DELETE ON batch_job_execution"
				+ " FOR EACH ROW EXECUTE FUNCTION purge_fault()");
	}

	@Override
	void removeDeleteFault() {
		this.jdbc.execute("DROP TRIGGER IF EXISTS purge_fault ON batch_job_execution");
	}

}
