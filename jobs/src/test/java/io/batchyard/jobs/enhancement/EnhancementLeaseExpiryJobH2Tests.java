package io.batchyard.jobs.enhancement;

import java.util.UUID;

import io.batchyard.jobs.support.H2IdFault;

class EnhancementLeaseExpiryJobH2Tests extends EnhancementLeaseExpiryJobTests {

	private String faultTrigger;

	@Override
	void injectFault(UUID pendingId) {
		this.faultTrigger = "ID_FAULT_" + pendingId.toString().replace("-", "");
		this.jdbc.execute("CREATE TRIGGER " + this.faultTrigger + " BEFORE UPDATE ON pending_enhancement FOR EACH ROW"
				+ " CALL \"" + H2IdFault.class.getName() + "\"");
	}

	@Override
	void removeFault() {
		if (this.faultTrigger != null) {
			this.jdbc.execute("DROP TRIGGER IF EXISTS " + this.faultTrigger);
			this.faultTrigger = null;
		}
	}

}
