package io.batchyard.jobs.enhancement;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Expires pending enhancements past their lease and re-queues each as a new pending row
 * ({@code retry_of} the expired one, one level deeper), unless it already had
 * {@code maxRetryCount} retries: then it fails with a reason. Each row moves only from
 * {@code processing}, and a retry is unique per (request, reference, depth), so a
 * replayed chunk changes nothing; the batches and requests touched are settled.
 */
public class LeaseExpiryWriter implements ItemWriter<ExpiredLease> {

	private static final Log logger = LogFactory.getLog(LeaseExpiryWriter.class);

	private final JdbcTemplate jdbc;

	private final int maxRetryCount;

	private final Clock clock;

	public LeaseExpiryWriter(JdbcTemplate jdbc, int maxRetryCount, Clock clock) {
		this.jdbc = jdbc;
		this.maxRetryCount = maxRetryCount;
		this.clock = clock;
	}

	static String retryLimitReason(int maxRetryCount) {
		return "Lease expired; exceeded retry limit of " + maxRetryCount + ".";
	}

	@Override
	public void write(Chunk<? extends ExpiredLease> chunk) {
		Timestamp now = Timestamp.from(this.clock.instant());
		Set<UUID> batches = new LinkedHashSet<>();
		Set<UUID> requests = new LinkedHashSet<>();
		List<Object[]> retries = new ArrayList<>();
		for (ExpiredLease lease : chunk) {
			boolean exhausted = lease.retryDepth() >= this.maxRetryCount;
			int moved = this.jdbc.update(
					"UPDATE pending_enhancement SET status = ?, reason = ?, updated_at = ? WHERE id = ?"
							+ " AND status = 'processing'",
					exhausted ? PendingStatus.FAILED.value() : PendingStatus.EXPIRED.value(),
					exhausted ? retryLimitReason(this.maxRetryCount) : "Lease expired.", now, lease.id());
			if (moved == 0) {
				continue;
			}
			if (exhausted) {
				logger.warn("Pending enhancement " + lease.id() + " (reference " + lease.referenceId()
						+ ") exceeded retry limit");
			}
			else {
				retries.add(new Object[] { UUID.randomUUID(), lease.requestId(), lease.referenceId(), lease.robotId(),
						lease.id(), lease.retryDepth() + 1, now, now });
			}
			if (lease.batchId() != null) {
				batches.add(lease.batchId());
			}
			requests.add(lease.requestId());
		}
		if (!retries.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO pending_enhancement (id, enhancement_request_id, reference_id, robot_id,"
					+ " status, retry_of, retry_depth, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
					retries);
		}
		for (UUID batch : batches) {
			this.jdbc.update("UPDATE robot_enhancement_batch SET status = 'expired', updated_at = ? WHERE id = ?"
					+ " AND status = 'processing'", now, batch);
		}
		EnhancementBatches settle = new EnhancementBatches(this.jdbc, this.clock);
		requests.forEach(settle::settleRequest);
		logger.info("Expired " + chunk.size() + " lease(s): " + retries.size() + " re-queued");
	}

}
