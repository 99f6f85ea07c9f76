package io.batchyard.jobs.enhancement;

import java.util.UUID;

import io.batchyard.jobs.support.PostgresTest;

@PostgresTest
class EnhancementLeaseExpiryJobPostgresTests extends EnhancementLeaseExpiryJobTests {

	@Override
	void injectFault(UUID pendingId) {
		this.jdbc.execute("CREATE OR REPLACE FUNCTION lease_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
				+ " IF NEW.id = '" + pendingId + "' THEN"
				+ " RAISE EXCEPTION 'Injected fault: cannot update pending enhancement %', NEW.id;"
				+ " END IF; RETURN NEW; END $$");
		this.jdbc.execute("CREATE TRIGGER lease_fault BEFORE UPDATE ON pending_enhancement FOR EACH ROW"
				+ " EXECUTE FUNCTION lease_fault()");
	}

	@Override
	void removeFault() {
		this.jdbc.execute("DROP TRIGGER IF EXISTS lease_fault ON pending_enhancement");
	}

}
