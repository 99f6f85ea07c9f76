package io.batchyard.jobs.enhancement;

import io.batchyard.jobs.support.PostgresTest;

@PostgresTest
class ReferenceLoadPartitionedJobPostgresTests extends ReferenceLoadPartitionedJobTests {

	@Override
	void injectFault(String referenceId) {
		this.jdbc.execute("CREATE OR REPLACE FUNCTION reference_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
				+ " IF NEW.id = '" + referenceId + "' THEN"
				+ " RAISE EXCEPTION 'Injected fault: cannot insert reference %', NEW.id;"
				+ " END IF; RETURN NEW; END $$");
		this.jdbc.execute(
				"CREATE TRIGGER reference_fault BEFORE INSERT ON reference FOR EACH ROW EXECUTE FUNCTION reference_fault()");
	}

	@Override
	void removeFault() {
		this.jdbc.execute("DROP TRIGGER IF EXISTS reference_fault ON reference");
	}

}
