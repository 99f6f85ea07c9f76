-- Which node runs which partition of another node's job execution (remote partitioning). The
-- job execution is claimed in BATCHYARD_NODE_EXECUTION by its manager's node; a partition that a
-- worker node runs is claimed here, in the transaction that moves it from STARTING to STARTED, so
-- that a partition whose worker stopped heart-beating is recovered (FAILED, restartable) and its
-- manager stops waiting for it. RECOVERED_AT/RECOVERED_BY: the node that recovered it, which also
-- tells the restart policy that the job failed because a node was lost.
CREATE TABLE BATCHYARD_NODE_PARTITION (
	STEP_EXECUTION_ID BIGINT NOT NULL PRIMARY KEY,
	JOB_EXECUTION_ID BIGINT NOT NULL,
	NODE_ID VARCHAR(64) NOT NULL,
	CLAIMED_AT TIMESTAMP WITH TIME ZONE NOT NULL,
	RECOVERED_AT TIMESTAMP WITH TIME ZONE,
	RECOVERED_BY VARCHAR(64),
	CONSTRAINT BATCHYARD_NODE_PARTITION_FK FOREIGN KEY (STEP_EXECUTION_ID)
		REFERENCES BATCH_STEP_EXECUTION (STEP_EXECUTION_ID) ON DELETE CASCADE
);
CREATE INDEX BATCHYARD_NODE_PARTITION_NODE_IX ON BATCHYARD_NODE_PARTITION (NODE_ID);
CREATE INDEX BATCHYARD_NODE_PARTITION_JOB_IX ON BATCHYARD_NODE_PARTITION (JOB_EXECUTION_ID);
