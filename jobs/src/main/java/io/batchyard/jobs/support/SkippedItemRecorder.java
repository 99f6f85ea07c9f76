package io.batchyard.jobs.support;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Records every skipped item in {@code BATCHYARD_SKIPPED_ITEM}, with its position, key
 * and reason, and ends a step that skipped anything with the exit code
 * {@value #COMPLETED_WITH_SKIPS}; after a restart, the count and the step executions
 * named include what the instance's earlier executions of the step skipped. Register it
 * on a fault-tolerant step both as skip listener and as step listener.
 * <p>
 * The record is written in the chunk transaction: a chunk that rolls back leaves none,
 * and a replayed chunk records its skips once. It keeps no state, so one instance serves
 * concurrent executions of its step.
 *
 * @param <T> the type read
 * @param <S> the type written
 */
public class SkippedItemRecorder<T, S> implements SkipListener<T, S>, StepExecutionListener {

	/** The exit code of a step or job that completed but skipped items. */
	public static final String COMPLETED_WITH_SKIPS = "COMPLETED WITH SKIPS";

	private static final Log logger = LogFactory.getLog(SkippedItemRecorder.class);

	private static final int MAX_REASON = 4000;

	private final JdbcTemplate jdbc;

	private final SkippedItemDescriber<T, S> describer;

	public SkippedItemRecorder(DataSource dataSource, SkippedItemDescriber<T, S> describer) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.describer = describer;
	}

	@Override
	public void onSkipInRead(Throwable failure) {
		record("READ", this.describer.describeRead(failure));
	}

	@Override
	public void onSkipInProcess(T item, Throwable failure) {
		record("PROCESS", this.describer.describeProcess(item, failure));
	}

	@Override
	public void onSkipInWrite(S item, Throwable failure) {
		record("WRITE", this.describer.describeWrite(item, failure));
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		if (!ExitStatus.COMPLETED.getExitCode().equals(stepExecution.getExitStatus().getExitCode())) {
			return null;
		}
		// A restarted step resumes after the last commit of the executions before it: the
		// items they skipped are skipped by this instance too, and recorded under their
		// step executions. Counting only this execution's skips would report fewer than
		// an uninterrupted run (the crash campaign found it) and point to a part of them.
		Map<Long, Long> earlier = new LinkedHashMap<>();
		this.jdbc.query("SELECT K.STEP_EXECUTION_ID, COUNT(*) FROM BATCHYARD_SKIPPED_ITEM K"
				+ " JOIN BATCH_STEP_EXECUTION S ON S.STEP_EXECUTION_ID = K.STEP_EXECUTION_ID"
				+ " JOIN BATCH_JOB_EXECUTION E ON E.JOB_EXECUTION_ID = S.JOB_EXECUTION_ID"
				+ " WHERE E.JOB_INSTANCE_ID = ? AND S.STEP_NAME = ? AND K.STEP_EXECUTION_ID <> ?"
				+ " GROUP BY K.STEP_EXECUTION_ID ORDER BY K.STEP_EXECUTION_ID", (rs) -> {
					earlier.put(rs.getLong(1), rs.getLong(2));
				}, stepExecution.getJobExecution().getJobInstance().getInstanceId(), stepExecution.getStepName(),
				stepExecution.getId());
		long skips = stepExecution.getSkipCount() + earlier.values().stream().mapToLong(Long::longValue).sum();
		if (skips == 0) {
			return null;
		}
		List<Long> steps = new ArrayList<>(earlier.keySet());
		if (stepExecution.getSkipCount() > 0) {
			steps.add(stepExecution.getId());
		}
		return new ExitStatus(COMPLETED_WITH_SKIPS,
				skips + " item(s) skipped: see the skipped items of step execution" + ((steps.size() > 1) ? "s " : " ")
						+ steps.stream().map(String::valueOf).collect(Collectors.joining(", ")));
	}

	private void record(String phase, SkippedItem item) {
		StepContext context = StepSynchronizationManager.getContext();
		if (context == null) {
			throw new IllegalStateException("A skip was reported outside a step: " + item);
		}
		StepExecution step = context.getStepExecution();
		this.jdbc.update(
				"INSERT INTO BATCHYARD_SKIPPED_ITEM (JOB_EXECUTION_ID, STEP_EXECUTION_ID, STEP_NAME, PHASE,"
						+ " ITEM_POSITION, ITEM_KEY, REASON, RECORDED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				step.getJobExecutionId(), step.getId(), step.getStepName(), phase, truncate(item.position(), 255),
				truncate(item.key(), 1000), truncate(item.reason(), MAX_REASON), Timestamp.from(Instant.now()));
		logger.warn("Skipped in " + phase.toLowerCase(java.util.Locale.ROOT)
				+ ((item.position() != null) ? " at " + item.position() : "")
				+ ((item.key() != null) ? " item " + item.key() : "") + ": " + item.reason());
	}

	private static String truncate(String value, int length) {
		return (value != null && value.length() > length) ? value.substring(0, length - 1) + "…" : value;
	}

}
