-- The image batch API (imageIngestJob): one row per submitted batch and one per image. The
-- completed and failed counts are never stored: they are counted from the image rows, so a
-- replayed chunk or a restart can never count an image twice. An image's trace id and file name
-- are fixed at submit time, so its blob key {trace_id}/{filename} is known before it is fetched
-- and a restart can tell an image stored by a killed run from one never fetched.
CREATE TABLE image_batches (
	id VARCHAR(36) NOT NULL PRIMARY KEY,
	status VARCHAR(16) NOT NULL,
	total_images INTEGER NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	completed_at TIMESTAMP WITH TIME ZONE,
	CONSTRAINT ck_image_batches_status CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled'))
);
CREATE INDEX ix_image_batches_completed_at ON image_batches (completed_at);
CREATE INDEX ix_image_batches_created_at ON image_batches (created_at);

-- source_url for a URL image; source_key names the blob holding a base64 payload (never kept in
-- the job parameters or in this table).
CREATE TABLE image_batch_images (
	batch_id VARCHAR(36) NOT NULL,
	idx INTEGER NOT NULL,
	original_filename VARCHAR(255) NOT NULL,
	source_url VARCHAR(4000),
	source_key VARCHAR(1024),
	status VARCHAR(16) NOT NULL,
	trace_id VARCHAR(36) NOT NULL,
	group_id VARCHAR(36) NOT NULL,
	processed_path VARCHAR(1024),
	start_time TIMESTAMP WITH TIME ZONE,
	end_time TIMESTAMP WITH TIME ZONE,
	error VARCHAR(4000),
	CONSTRAINT pk_image_batch_images PRIMARY KEY (batch_id, idx),
	CONSTRAINT uk_image_batch_images_trace UNIQUE (trace_id),
	CONSTRAINT fk_image_batch_images_batch FOREIGN KEY (batch_id) REFERENCES image_batches (id) ON DELETE CASCADE,
	CONSTRAINT ck_image_batch_images_source CHECK ((source_url IS NULL) <> (source_key IS NULL)),
	CONSTRAINT ck_image_batch_images_status CHECK (status IN ('pending', 'processing', 'completed', 'failed'))
);
