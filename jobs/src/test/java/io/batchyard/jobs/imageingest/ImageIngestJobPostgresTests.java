package io.batchyard.jobs.imageingest;

import io.batchyard.jobs.support.PostgresTest;

@PostgresTest
class ImageIngestJobPostgresTests extends ImageIngestJobTests {

	@Override
	void injectFault(int index) {
		this.jdbc.execute("CREATE OR REPLACE FUNCTION image_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
				+ " IF NEW.idx = " + index + " AND NEW.status = 'completed' THEN"
				+ " RAISE EXCEPTION 'Injected fault: cannot record image %', NEW.idx; END IF; RETURN NEW; END $$");
		this.jdbc.execute("CREATE TRIGGER image_fault BEFORE UPDATE ON image_batch_images"
				+ " FOR EACH ROW EXECUTE FUNCTION image_fault()");
	}

	@Override
	void removeFault(int index) {
		this.jdbc.execute("DROP TRIGGER IF EXISTS image_fault ON image_batch_images");
	}

}
