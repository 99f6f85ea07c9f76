package io.batchyard.jobs.housekeeping;

import io.batchyard.jobs.support.H2DeleteFault;

class RepositoryPurgeJobH2Tests extends RepositoryPurgeJobTests {

	private String faultTrigger;

	@Override
	void injectDeleteFault(long jobExecutionId) {
		this.faultTrigger = "PURGE_FAULT_" + jobExecutionId;
		this.jdbc.execute("CREATE TRIGGER " + this.faultTrigger + " BEFORE DELETE ON BATCH_JOB_EXECUTION"
				+ " FOR EACH ROW CALL \"" + H2DeleteFault.class.getName() + "\"");
	}

	@Override
	void removeDeleteFault() {
		if (this.faultTrigger != null) {
			this.jdbc.execute("DROP TRIGGER IF EXISTS " + this.faultTrigger);
			this.faultTrigger = null;
		}
	}

}
