-- Robot request nonces (docs/enhancements.md): every signed robot request carries a nonce that the
-- signature covers; an accepted one is remembered here until its signature could no longer be
-- accepted by any node, so the same request replayed to this or another node is refused. The
-- primary key makes "first use wins" atomic across nodes; expired rows are deleted by the nodes
-- (at most once a minute each), through the index on expires_at.
CREATE TABLE robot_request_nonce (
	client_id VARCHAR(100) NOT NULL,
	nonce VARCHAR(128) NOT NULL,
	expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT pk_robot_request_nonce PRIMARY KEY (client_id, nonce)
);
CREATE INDEX ix_robot_request_nonce_expires_at ON robot_request_nonce (expires_at);
