package io.batchyard.launcher.enhancements;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The nonces of accepted robot requests, in the database ({@code robot_request_nonce}),
 * so a replayed request is refused whichever node it reaches: the table's primary key
 * decides which of two identical requests is the first, even when they arrive at the same
 * moment on two nodes. Expired nonces are deleted as new ones arrive, at most once per
 * {@link #PURGE_INTERVAL} on each node, so the table holds about one signature validity
 * window of requests.
 */
public class RobotNonces {

	/** How often a node deletes the expired nonces. */
	static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

	private static final Log logger = LogFactory.getLog(RobotNonces.class);

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final AtomicLong nextPurge = new AtomicLong(Long.MIN_VALUE);

	public RobotNonces(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Remembers a robot's nonce until it expires, unless it was seen before.
	 * @param clientId the robot
	 * @param nonce its request's nonce
	 * @param expiresAt when the request's signature can no longer be accepted
	 * @return {@code true} the first time, {@code false} for a replay
	 */
	public boolean firstUse(String clientId, String nonce, Instant expiresAt) {
		purgeIfDue();
		try {
			this.jdbc.update("INSERT INTO robot_request_nonce (client_id, nonce, expires_at) VALUES (?, ?, ?)",
					clientId, nonce, Timestamp.from(expiresAt));
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	private void purgeIfDue() {
		long now = this.clock.millis();
		long due = this.nextPurge.get();
		if (now < due || !this.nextPurge.compareAndSet(due, now + PURGE_INTERVAL.toMillis())) {
			return;
		}
		int purged = this.jdbc.update("DELETE FROM robot_request_nonce WHERE expires_at < ?",
				Timestamp.from(Instant.ofEpochMilli(now)));
		if (purged > 0 && logger.isDebugEnabled()) {
			logger.debug("Deleted " + purged + " expired robot request nonces");
		}
	}

}
