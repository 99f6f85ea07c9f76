-- The import gives every pending enhancement of its batch an outcome in one UPDATE; with
-- status in two indexes PostgreSQL rewrote every row through all its indexes (see the
-- PostgreSQL version of this migration). The claim and the lease expiry are indexed on
-- generated columns holding their sort key only while the row is pending (queued_at) or
-- processing (lease_expires_at), NULL otherwise; the same schema and queries on H2.
ALTER TABLE pending_enhancement
	ADD COLUMN queued_at TIMESTAMP WITH TIME ZONE
	GENERATED ALWAYS AS (CASE WHEN status = 'pending' THEN created_at END);
ALTER TABLE pending_enhancement
	ADD COLUMN lease_expires_at TIMESTAMP WITH TIME ZONE
	GENERATED ALWAYS AS (CASE WHEN status = 'processing' THEN expires_at END);
DROP INDEX ix_pending_enhancement_claim;
DROP INDEX ix_pending_enhancement_expiry;
CREATE INDEX ix_pending_enhancement_queue ON pending_enhancement (robot_id, queued_at, id);
CREATE INDEX ix_pending_enhancement_lease ON pending_enhancement (lease_expires_at);
