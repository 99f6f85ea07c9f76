package io.batchyard.jobs.enhancement;

import io.batchyard.jobs.support.H2IdFault;

class ReferenceLoadPartitionedJobH2Tests extends ReferenceLoadPartitionedJobTests {

	private String faultTrigger;

	@Override
	void injectFault(String referenceId) {
		this.faultTrigger = "ID_FAULT_" + referenceId.replace("-", "");
		this.jdbc.execute("CREATE TRIGGER " + this.faultTrigger + " BEFORE INSERT ON reference FOR EACH ROW CALL \""
				+ H2IdFault.class.getName() + "\"");
	}

	@Override
	void removeFault() {
		if (this.faultTrigger != null) {
			this.jdbc.execute("DROP TRIGGER IF EXISTS " + this.faultTrigger);
			this.faultTrigger = null;
		}
	}

}
