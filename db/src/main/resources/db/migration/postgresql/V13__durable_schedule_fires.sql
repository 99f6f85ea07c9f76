-- A recorded schedule fire is launched even when the node that recorded it dies before
-- launching it, or its launch fails for a while (docs/crash-safety-and-cli.md, "Schedule
-- fires"). STATE: CLAIMED (NODE_ID is launching it), LAUNCHED (JOB_EXECUTION_ID is the
-- fire's execution, launched or found), RETRY (the launch failed or its node began shutting
-- down: any node launches it from NEXT_ATTEMPT_AT) or REFUSED (no execution will come;
-- OUTCOME says why). A CLAIMED row whose node stopped heart-beating, or older than the claim
-- timeout, is taken over by a conditional update: exactly one node wins it. JOB_NAME and
-- PARAMETERS (the launch's parameters, JSON) let another node launch the same instance.
ALTER TABLE BATCHYARD_SCHEDULE_FIRE ADD COLUMN STATE VARCHAR(16);
ALTER TABLE BATCHYARD_SCHEDULE_FIRE ADD COLUMN JOB_NAME VARCHAR(100);
ALTER TABLE BATCHYARD_SCHEDULE_FIRE ADD COLUMN PARAMETERS TEXT;
ALTER TABLE BATCHYARD_SCHEDULE_FIRE ADD COLUMN ATTEMPTS INT DEFAULT 1 NOT NULL;
ALTER TABLE BATCHYARD_SCHEDULE_FIRE ADD COLUMN CLAIMED_AT TIMESTAMP WITH TIME ZONE;
ALTER TABLE BATCHYARD_SCHEDULE_FIRE ADD COLUMN NEXT_ATTEMPT_AT TIMESTAMP WITH TIME ZONE;
-- Fires recorded before this version: a row with neither an execution nor an outcome was
-- never launched; it is taken over like any other claim of a dead node.
UPDATE BATCHYARD_SCHEDULE_FIRE SET CLAIMED_AT = FIRED_AT, STATE = CASE
	WHEN JOB_EXECUTION_ID IS NOT NULL THEN 'LAUNCHED'
	WHEN OUTCOME IS NOT NULL THEN 'REFUSED'
	ELSE 'CLAIMED' END;
ALTER TABLE BATCHYARD_SCHEDULE_FIRE ALTER COLUMN STATE SET DEFAULT 'CLAIMED';
ALTER TABLE BATCHYARD_SCHEDULE_FIRE ALTER COLUMN STATE SET NOT NULL;
CREATE INDEX BATCHYARD_SCHEDULE_FIRE_STATE_IX ON BATCHYARD_SCHEDULE_FIRE (STATE, NEXT_ATTEMPT_AT);
