package io.batchyard.jobs.enhancement;

import io.batchyard.jobs.support.PostgresTest;

@PostgresTest
class EnhancementImportGridSizesPostgresTests extends EnhancementImportGridSizesTests {

	@Override
	void injectEntryFault(long entryNumber) {
		this.jdbc.execute("CREATE OR REPLACE FUNCTION resolve_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
				+ " IF NEW.entry_number = " + entryNumber + " THEN"
				+ " RAISE EXCEPTION 'Injected fault: cannot insert validation entry %', NEW.entry_number;"
				+ " END IF; RETURN NEW; END $$");
		this.jdbc.execute("CREATE TRIGGER resolve_fault BEFORE INSERT ON robot_result_validation_entry"
				+ " FOR EACH ROW EXECUTE FUNCTION resolve_fault()");
	}

	@Override
	void removeEntryFault() {
		this.jdbc.execute("DROP TRIGGER IF EXISTS resolve_fault ON robot_result_validation_entry");
	}

}
