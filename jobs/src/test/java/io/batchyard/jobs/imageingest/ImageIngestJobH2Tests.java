package io.batchyard.jobs.imageingest;

class ImageIngestJobH2Tests extends ImageIngestJobTests {

	@Override
	void injectFault(int index) {
		this.jdbc.execute("CREATE TRIGGER IMAGE_FAULT_" + index + " BEFORE UPDATE ON IMAGE_BATCH_IMAGES"
				+ " FOR EACH ROW CALL \"" + H2ImageUpdateFault.class.getName() + "\"");
	}

	@Override
	void removeFault(int index) {
		this.jdbc.execute("DROP TRIGGER IF EXISTS IMAGE_FAULT_" + index);
	}

}
