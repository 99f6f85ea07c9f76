package io.batchyard.jobs.enhancement;

import io.batchyard.jobs.support.H2InsertFault;

class EnhancementImportGridSizesH2Tests extends EnhancementImportGridSizesTests {

	private String faultTrigger;

	@Override
	void injectEntryFault(long entryNumber) {
		this.faultTrigger = "RESOLVE_FAULT_" + entryNumber;
		this.jdbc.execute("CREATE TRIGGER " + this.faultTrigger + " BEFORE INSERT ON robot_result_validation_entry"
				+ " FOR EACH ROW CALL \"" + H2InsertFault.class.getName() + "\"");
	}

	@Override
	void removeEntryFault() {
		if (this.faultTrigger != null) {
			this.jdbc.execute("DROP TRIGGER IF EXISTS " + this.faultTrigger);
			this.faultTrigger = null;
		}
	}

}
