package io.batchyard.launcher.unattended;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.RestartStatus;
import io.batchyard.launcher.launch.LaunchRefusedException;
import io.batchyard.launcher.launch.LaunchRefusedException.Reason;
import io.batchyard.launcher.launch.LaunchTriggers;
import io.batchyard.launcher.runner.RunnerNode;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Carries out the automatic restarts {@link ExecutionEnds} decided: each server node
 * polls for due ones, claims each with a conditional update (one node wins), and restarts
 * it through the launch service, an ordinary restart that resumes from the last commit. A
 * claim whose node died before it recorded the outcome is taken over after the claim
 * timeout; the launch service then answers "already restarted" if the restart happened,
 * so it is never made twice.
 */
public class AutomaticRestarts {

	/** Counter of automatic restarts by job and outcome. */
	public static final String METER = "batchyard.automatic.restarts";

	private static final Log logger = LogFactory.getLog(AutomaticRestarts.class);

	private final JdbcTemplate jdbc;

	private final JobLaunchService launchService;

	private final RunnerNode node;

	private final UnattendedProperties properties;

	private final ExecutionEnds ends;

	private final MeterRegistry meters;

	private final Clock clock;

	public AutomaticRestarts(JdbcTemplate jdbc, JobLaunchService launchService, RunnerNode node,
			UnattendedProperties properties, ExecutionEnds ends, MeterRegistry meters, Clock clock) {
		this.jdbc = jdbc;
		this.launchService = launchService;
		this.node = node;
		this.properties = properties;
		this.ends = ends;
		this.meters = meters;
		this.clock = clock;
	}

	/**
	 * Restarts every due automatic restart this node can claim.
	 * @return the new executions
	 */
	public List<Long> runDue() {
		Instant now = this.clock.instant();
		Timestamp staleClaims = Timestamp.from(now.minus(this.properties.automaticRestarts().claimTimeout()));
		List<Long> due = this.jdbc.queryForList(
				"SELECT FAILED_EXECUTION_ID FROM BATCHYARD_AUTO_RESTART WHERE"
						+ " (STATE = ? AND DUE_AT <= ?) OR (STATE = ? AND CLAIMED_AT < ?) ORDER BY DUE_AT",
				Long.class, RestartStatus.PENDING, Timestamp.from(now), RestartStatus.CLAIMED, staleClaims);
		return due.stream().map((id) -> restart(id, now, staleClaims)).flatMap(Optional::stream).toList();
	}

	private Optional<Long> restart(long failedId, Instant now, Timestamp staleClaims) {
		int claimed = this.jdbc.update("UPDATE BATCHYARD_AUTO_RESTART SET STATE = ?, CLAIMED_BY = ?, CLAIMED_AT = ?"
				+ " WHERE FAILED_EXECUTION_ID = ? AND ((STATE = ? AND DUE_AT <= ?) OR (STATE = ? AND CLAIMED_AT < ?))",
				RestartStatus.CLAIMED, this.node.id(), Timestamp.from(now), failedId, RestartStatus.PENDING,
				Timestamp.from(now), RestartStatus.CLAIMED, staleClaims);
		if (claimed == 0) {
			return Optional.empty();
		}
		String job = this.jdbc.queryForObject(
				"SELECT JOB_NAME FROM BATCHYARD_AUTO_RESTART WHERE FAILED_EXECUTION_ID = ?", String.class, failedId);
		try {
			JobExecution restarted = this.launchService.restart(failedId);
			done(failedId, restarted.getId());
			count(job, "restarted");
			logger.warn("Automatically restarted job=" + job + " execution=" + failedId + " as execution="
					+ restarted.getId());
			return Optional.of(restarted.getId());
		}
		catch (LaunchRefusedException ex) {
			if (ex.getReason().isDuplicate() && ex.getExecutionId() != null) {
				// Restarted meanwhile, by an operator or by this claim's earlier owner.
				done(failedId, ex.getExecutionId());
				count(job, "duplicate");
				return Optional.empty();
			}
			if (ex.getReason() == Reason.SHUTTING_DOWN) {
				release(failedId);
				return Optional.empty();
			}
			this.jdbc.update("UPDATE BATCHYARD_AUTO_RESTART SET STATE = ?, DETAIL = ? WHERE FAILED_EXECUTION_ID = ?",
					RestartStatus.CANCELLED, abbreviate("automatic restart refused: " + ex.getMessage()), failedId);
			count(job, "refused");
			logger.warn("Automatic restart of job=" + job + " execution=" + failedId + " refused: " + ex.getMessage());
			return Optional.empty();
		}
		catch (DataAccessException ex) {
			release(failedId);
			logger.warn("Automatic restart of job=" + job + " execution=" + failedId + " failed, tried again later: "
					+ ex.getMessage());
			return Optional.empty();
		}
	}

	/**
	 * Cancels the pending automatic restarts of an execution's instance and keeps later
	 * failures of it from being restarted automatically.
	 * @param executionId any execution of the instance
	 * @param by who cancels
	 * @return how many pending restarts were cancelled
	 */
	public int cancel(long executionId, String by) {
		JobExecution execution = this.launchService.execution(executionId);
		long instanceId = execution.getJobInstance().getInstanceId();
		Instant now = this.clock.instant();
		LaunchTriggers.cancelRestarts(this.jdbc, instanceId, by, now);
		int cancelled = this.ends.cancelPending(instanceId, "by " + by + " at " + now);
		if (cancelled > 0) {
			count(execution.getJobInstance().getJobName(), "cancelled");
			logger.warn("Automatic restarts of job=" + execution.getJobInstance().getJobName() + " instance="
					+ instanceId + " cancelled by " + by);
		}
		return cancelled;
	}

	/**
	 * What the policy decided for an execution.
	 * @param executionId the execution
	 * @return the decision, empty unless it ended FAILED or STOPPED
	 */
	public Optional<RestartStatus> status(long executionId) {
		return RestartStatus.of(this.jdbc, executionId);
	}

	private void done(long failedId, long restartId) {
		this.jdbc.update("UPDATE BATCHYARD_AUTO_RESTART SET STATE = ?, RESTART_EXECUTION_ID = ?"
				+ " WHERE FAILED_EXECUTION_ID = ?", RestartStatus.RESTARTED, restartId, failedId);
	}

	private void release(long failedId) {
		this.jdbc.update(
				"UPDATE BATCHYARD_AUTO_RESTART SET STATE = ?, CLAIMED_BY = NULL, CLAIMED_AT = NULL"
						+ " WHERE FAILED_EXECUTION_ID = ? AND STATE = ?",
				RestartStatus.PENDING, failedId, RestartStatus.CLAIMED);
	}

	private void count(String job, String outcome) {
		this.meters.counter(METER, "job", job, "outcome", outcome).increment();
	}

	private static String abbreviate(String text) {
		return (text.length() <= 1000) ? text : text.substring(0, 999) + "…";
	}

}
