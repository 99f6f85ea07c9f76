-- enhancementImportJob in partitions (batchyard.jobs.enhancement-import.grid-size > 1): the lines
-- of the result file are written in no particular order, so a line naming a requested reference
-- cannot know yet whether it is the first to name it. Each such line waits here, keyed like its
-- validation entry, until resolveEnhancementEntriesStep decides by line number (the smallest
-- wins), writes the entries and enhancements, and deletes the batch's candidates in the same
-- transaction. No foreign key to the batch: a staging table holds nothing once an import is done.
-- kind: added (an enhancement, its columns set) or robot_error (error set).
CREATE TABLE robot_result_candidate (
	batch_id UUID NOT NULL,
	entry_number BIGINT NOT NULL,
	reference_id UUID NOT NULL,
	kind VARCHAR(20) NOT NULL,
	error VARCHAR(4000),
	enhancement_id UUID,
	enhancement_type VARCHAR(40),
	source VARCHAR(1000),
	visibility VARCHAR(20),
	robot_version VARCHAR(255),
	derived_from CLOB,
	content CLOB,
	fingerprint CHAR(64),
	CONSTRAINT pk_robot_result_candidate PRIMARY KEY (batch_id, entry_number)
);
CREATE INDEX ix_robot_result_candidate_reference ON robot_result_candidate (batch_id, reference_id, entry_number);
