-- Sample presentation rows for manifestUpdateJob: customer 2's manifest "sample-manifest" with
-- three canvas paintings whose assets DLCS batch 1001 is ingesting, and an earlier batch 1000
-- of the same manifest that already completed. Loaded into the embedded default on a fresh start.
INSERT INTO manifests (id, customer_id, created, modified, created_by, modified_by, label, space_id, last_processed)
VALUES ('sample-manifest', 2, TIMESTAMP WITH TIME ZONE '2026-11-20 09:00:00+00', TIMESTAMP WITH TIME ZONE '2026-11-20 09:00:00+00',
	'admin', 'admin', '{"en":["Sample letters, 1890-1895"]}', 5, NULL);

INSERT INTO batches (id, customer_id, status, submitted, finished, processed, manifest_id) VALUES
	(1000, 2, 'Completed', TIMESTAMP WITH TIME ZONE '2026-11-19 08:00:00+00', TIMESTAMP WITH TIME ZONE '2026-11-19 08:05:00+00',
		TIMESTAMP WITH TIME ZONE '2026-11-19 08:05:02+00', 'sample-manifest'),
	(1001, 2, 'Ingesting', TIMESTAMP WITH TIME ZONE '2026-11-20 09:00:00+00', NULL, NULL, 'sample-manifest');

INSERT INTO canvas_paintings (canvas_id, manifest_id, customer_id, canvas_original_id, canvas_order, choice_order,
	thumbnail, label, canvas_label, target, static_width, static_height, created, modified, asset_id, ingesting, duration, error)
VALUES
	('c1', 'sample-manifest', 2, NULL, 0, -1, NULL, '{"en":["Letter, page 1"]}', NULL, NULL, NULL, NULL,
		TIMESTAMP WITH TIME ZONE '2026-11-20 09:00:00+00', TIMESTAMP WITH TIME ZONE '2026-11-20 09:00:00+00', '2/5/page-001', TRUE, NULL, NULL),
	('c2', 'sample-manifest', 2, NULL, 1, -1, NULL, '{"en":["Letter, page 2"]}', NULL, NULL, NULL, NULL,
		TIMESTAMP WITH TIME ZONE '2026-11-20 09:00:00+00', TIMESTAMP WITH TIME ZONE '2026-11-20 09:00:00+00', '2/5/page-002', TRUE, NULL, NULL),
	('c3', 'sample-manifest', 2, NULL, 2, -1, NULL, '{"en":["Envelope"]}', NULL, NULL, NULL, NULL,
		TIMESTAMP WITH TIME ZONE '2026-11-20 09:00:00+00', TIMESTAMP WITH TIME ZONE '2026-11-20 09:00:00+00', '2/5/envelope', TRUE, NULL, NULL);
