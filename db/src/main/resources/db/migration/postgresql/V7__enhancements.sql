-- DESTINY-style robot enhancements (docs/enhancements.md): references, their enhancements,
-- requests for enhancements, the pending enhancements (request x reference) robots claim in
-- batches under a lease, and the validation entries of each batch's result file.
CREATE TABLE reference (
	id UUID NOT NULL PRIMARY KEY,
	visibility VARCHAR(20) NOT NULL,
	-- JSON array of ExternalIdentifier objects, as received
	identifiers TEXT,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The id is a name-based UUID of (reference_id, fingerprint): an exact duplicate of an existing
-- enhancement has the same id and is discarded, and a replayed chunk inserts nothing twice.
CREATE TABLE enhancement (
	id UUID NOT NULL PRIMARY KEY,
	reference_id UUID NOT NULL REFERENCES reference (id),
	enhancement_type VARCHAR(40) NOT NULL,
	source VARCHAR(1000) NOT NULL,
	visibility VARCHAR(20) NOT NULL,
	robot_version VARCHAR(255),
	-- JSON array of UUIDs, or null
	derived_from TEXT,
	-- the content object, JSON with sorted keys
	content TEXT NOT NULL,
	-- SHA-256 (hex) of the canonical JSON of every field but id
	fingerprint CHAR(64) NOT NULL,
	batch_id UUID,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_enhancement_reference_id ON enhancement (reference_id);

CREATE TABLE enhancement_request (
	id UUID NOT NULL PRIMARY KEY,
	robot_id VARCHAR(100) NOT NULL,
	source VARCHAR(1000),
	-- kept when the request has no pending enhancements; otherwise computed from them
	request_status VARCHAR(20) NOT NULL,
	error VARCHAR(4000),
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE robot_enhancement_batch (
	id UUID NOT NULL PRIMARY KEY,
	robot_id VARCHAR(100) NOT NULL,
	-- processing, importing, completed, partial_failed, failed, expired (lease ran out)
	status VARCHAR(20) NOT NULL,
	reference_data_key VARCHAR(1000) NOT NULL,
	result_key VARCHAR(1000) NOT NULL,
	validation_result_key VARCHAR(1000),
	error VARCHAR(4000),
	expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
	import_execution_id BIGINT,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- retry_depth: 0 for the row a request created, n for the n-th retry after an expired lease.
-- Unique (request, reference, depth) makes request creation and re-queueing idempotent (the
-- partial index of DESTINY PR #861, in a form H2 supports too).
CREATE TABLE pending_enhancement (
	id UUID NOT NULL PRIMARY KEY,
	enhancement_request_id UUID NOT NULL REFERENCES enhancement_request (id),
	reference_id UUID NOT NULL REFERENCES reference (id),
	robot_id VARCHAR(100) NOT NULL,
	status VARCHAR(20) NOT NULL,
	batch_id UUID REFERENCES robot_enhancement_batch (id),
	expires_at TIMESTAMP WITH TIME ZONE,
	retry_of UUID REFERENCES pending_enhancement (id),
	retry_depth INTEGER NOT NULL,
	-- the line of the batch's result file that first named this reference
	result_entry BIGINT,
	reason VARCHAR(4000),
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT uq_pending_enhancement_request_reference_depth UNIQUE (enhancement_request_id, reference_id, retry_depth)
);
CREATE INDEX ix_pending_enhancement_claim ON pending_enhancement (robot_id, status, created_at);
CREATE INDEX ix_pending_enhancement_batch ON pending_enhancement (batch_id, reference_id);
CREATE INDEX ix_pending_enhancement_expiry ON pending_enhancement (status, expires_at);

-- One row per entry of a batch's validation report, keyed by its entry number (the result
-- file's line number; after the last line, the requested references the file never named).
-- outcome: parse_failure, not_in_batch, duplicate, robot_error, added, discarded, missing. The
-- entries are the import's only per-line state: "already named" is an added, robot_error or
-- discarded entry of the same reference, and the pending enhancements' outcome is set from them
-- in one statement after the file.
CREATE TABLE robot_result_validation_entry (
	batch_id UUID NOT NULL REFERENCES robot_enhancement_batch (id),
	entry_number BIGINT NOT NULL,
	reference_id UUID,
	outcome VARCHAR(20) NOT NULL,
	error VARCHAR(4000),
	CONSTRAINT pk_robot_result_validation_entry PRIMARY KEY (batch_id, entry_number)
);
CREATE INDEX ix_robot_result_validation_entry_reference ON robot_result_validation_entry (batch_id, reference_id);
