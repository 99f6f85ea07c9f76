package io.batchyard.jobs.enhancement;

import io.batchyard.jobs.support.H2InsertFault;

class EnhancementImportJobH2Tests extends EnhancementImportJobTests {

	private String faultTrigger;

	@Override
	void injectFault(long entryNumber) {
		this.faultTrigger = "ENTRY_FAULT_" + entryNumber;
		this.jdbc.execute("CREATE TRIGGER " + this.faultTrigger + " BEFORE INSERT ON robot_result_validation_entry"
				+ " FOR EACH ROW CALL \"" + H2InsertFault.class.getName() + "\"");
	}

	@Override
	void removeFault() {
		if (this.faultTrigger != null) {
			this.jdbc.execute("DROP TRIGGER IF EXISTS " + this.faultTrigger);
			this.faultTrigger = null;
		}
	}

}
