-- The dashboard's executions page: newest first, filtered by status or parameter value.
-- Status filter, newest first: one index range scan, read backwards, stops after a page.
CREATE INDEX BATCH_JOB_EXECUTION_STATUS_ID_IX ON BATCH_JOB_EXECUTION (STATUS, JOB_EXECUTION_ID);
-- Parameter value filter ("batchId 42", "name=value"). A hash index: PARAMETER_VALUE holds up to
-- 2500 characters, more than a B-tree entry may hold (about 2700 bytes), and the filter is an
-- equality anyway.
CREATE INDEX BATCH_JOB_EXECUTION_PARAMS_VALUE_IX ON BATCH_JOB_EXECUTION_PARAMS USING HASH (PARAMETER_VALUE);
-- Step history: the latest executions of one step.
CREATE INDEX BATCH_STEP_EXECUTION_NAME_ID_IX ON BATCH_STEP_EXECUTION (STEP_NAME, STEP_EXECUTION_ID);
