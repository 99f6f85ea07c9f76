package io.batchyard.jobs.enhancement;

import io.batchyard.jobs.support.PostgresTest;

@PostgresTest
class EnhancementImportJobPostgresTests extends EnhancementImportJobTests {

	@Override
	void injectFault(long entryNumber) {
		this.jdbc.execute("CREATE OR REPLACE FUNCTION entry_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
				+ " IF NEW.entry_number = " + entryNumber + " THEN"
				+ " RAISE EXCEPTION 'Injected fault: cannot insert validation entry %', NEW.entry_number;"
				+ " END IF; RETURN NEW; END $$");
		this.jdbc.execute("CREATE TRIGGER entry_fault BEFORE INSERT ON robot_result_validation_entry"
				+ " FOR EACH ROW EXECUTE FUNCTION entry_fault()");
	}

	@Override
	void removeFault() {
		this.jdbc.execute("DROP TRIGGER IF EXISTS entry_fault ON robot_result_validation_entry");
	}

}
