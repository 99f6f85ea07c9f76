-- The import gives every pending enhancement of its batch an outcome (importing → completed,
-- discarded or failed) in one UPDATE. With status in ix_pending_enhancement_claim and
-- ix_pending_enhancement_expiry every such update was non-HOT: a new heap tuple plus a new
-- entry in all five indexes, 31 s of the 55 s ceiling for 1,000,000 rows
-- (docs/enhancements.md, "The ceiling"). The claim and the lease expiry really filter on
-- "pending, by age" and "processing, by lease end": each gets a generated column holding its
-- sort key only while the row is in that status (NULL otherwise), and the indexes are on
-- those. importing → completed leaves both NULL, so no indexed value changes and PostgreSQL
-- can update in place (HOT) when the page has room: hence the fillfactor. The status itself
-- is unchanged, and so is every projection made from it.
ALTER TABLE pending_enhancement
	ADD COLUMN queued_at TIMESTAMP WITH TIME ZONE
	GENERATED ALWAYS AS (CASE WHEN status = 'pending' THEN created_at END) STORED;
ALTER TABLE pending_enhancement
	ADD COLUMN lease_expires_at TIMESTAMP WITH TIME ZONE
	GENERATED ALWAYS AS (CASE WHEN status = 'processing' THEN expires_at END) STORED;
DROP INDEX ix_pending_enhancement_claim;
DROP INDEX ix_pending_enhancement_expiry;
CREATE INDEX ix_pending_enhancement_queue ON pending_enhancement (robot_id, queued_at, id);
CREATE INDEX ix_pending_enhancement_lease ON pending_enhancement (lease_expires_at);
-- Room on each page for a row's outcome tuple next to the one it replaces (half the page:
-- the outcome adds result_entry and, for a failure, the reason, so a tuple that no longer
-- fits goes to another page as a non-HOT update); a page is pruned between the transactions
-- that move a row from status to status. Applies to pages written from now on.
ALTER TABLE pending_enhancement SET (fillfactor = 50);
