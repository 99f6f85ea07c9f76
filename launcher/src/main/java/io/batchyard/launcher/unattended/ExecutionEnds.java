package io.batchyard.launcher.unattended;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import io.batchyard.jobs.launch.JobParameterTypes;
import io.batchyard.jobs.support.FailureCategory;
import io.batchyard.jobs.support.SkippedItemRecorder;
import io.batchyard.launcher.executions.ExitDescriptions;
import io.batchyard.launcher.launch.LaunchTriggers;
import io.batchyard.launcher.launch.RestartStatus;
import io.batchyard.launcher.repository.ExecutionEndListener;
import io.batchyard.launcher.unattended.UnattendedProperties.JobSettings;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Decides, in the transaction that records an execution's end, what happens next: an
 * automatic restart (a PENDING row, due after the back-off) or none (a NONE row saying
 * why), and which notifications go into the outbox. Written with the end itself, so a
 * node that dies right after cannot lose either; the primary and unique keys make a
 * repeated update of the same end change nothing.
 */
public class ExecutionEnds implements ExecutionEndListener {

	private static final Log logger = LogFactory.getLog(ExecutionEnds.class);

	/** Why an invalid-input failure is never restarted. */
	static final String INVALID_INPUT = "invalid input (parameters, validation or a 4xx answer) fails the same way"
			+ " again";

	private final JdbcTemplate jdbc;

	private final UnattendedProperties properties;

	private final ObjectProvider<JobRegistry> jobRegistry;

	private final ObjectProvider<JobRepository> jobRepository;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.shared();

	public ExecutionEnds(JdbcTemplate jdbc, UnattendedProperties properties, ObjectProvider<JobRegistry> jobRegistry,
			ObjectProvider<JobRepository> jobRepository, Clock clock) {
		this.jdbc = jdbc;
		this.jobRepository = jobRepository;
		this.properties = properties;
		this.jobRegistry = jobRegistry;
		this.clock = clock;
	}

	@Override
	public void ended(JobExecution execution) {
		BatchStatus status = execution.getStatus();
		if (execution.getEndTime() == null && status != BatchStatus.ABANDONED) {
			// Spring Batch writes FAILED before its listeners and exit status are final;
			// the end is the update that sets the end time.
			return;
		}
		try {
			switch (status) {
				case FAILED -> failed(execution);
				case STOPPED -> stopped(execution);
				case COMPLETED -> completed(execution);
				case ABANDONED ->
					cancelPending(execution.getJobInstance().getInstanceId(), "the instance was abandoned");
				default -> {
					// not an end
				}
			}
		}
		catch (DataAccessException ex) {
			// The end and this decision commit together or not at all.
			throw ex;
		}
		catch (RuntimeException ex) {
			// A bug here must not keep Spring Batch from recording the end: the execution
			// would stay STARTED on a live node for ever.
			logger.error("Could not decide the automatic restart or notifications of job="
					+ execution.getJobInstance().getJobName() + " execution=" + execution.getId(), ex);
		}
	}

	private void failed(JobExecution execution) {
		if (decided(execution.getId())) {
			return;
		}
		String jobName = execution.getJobInstance().getJobName();
		long instanceId = execution.getJobInstance().getInstanceId();
		JobSettings settings = this.properties.job(jobName);
		FailureCategory category = FailureClassifier.classify(execution);
		if (category == FailureCategory.UNKNOWN && lostPartitions(execution.getId()) > 0) {
			// A partition's worker died and another node recovered it (remote
			// partitioning): the manager failed because a node was lost.
			category = FailureCategory.NODE_LOST;
		}
		LaunchTriggers.Entry trigger = LaunchTriggers.find(this.jdbc, instanceId);
		int restarts = restartsMade(instanceId);
		int max = (trigger.manual() && !settings.restart().manualLaunches()) ? 0 : settings.restart().maxAttempts();
		String none = whyNoRestart(jobName, category, settings, trigger, restarts, max);
		Instant now = this.clock.instant();
		if (none == null) {
			int attempt = restarts + 1;
			Instant due = now.plus(settings.restart().backoff(attempt));
			insertDecision(execution, category, attempt, max, RestartStatus.PENDING, due, null, now);
			logger.warn("job=" + jobName + " execution=" + execution.getId() + " failed (" + category.configName()
					+ "): automatic restart " + attempt + " of " + max + " at " + due);
		}
		else {
			insertDecision(execution, category, restarts, max, RestartStatus.NONE, null, none, now);
			notify(execution, "FAILED", settings, restarts + 1, "no automatic restart: " + none);
			logger.warn("job=" + jobName + " execution=" + execution.getId() + " failed (" + category.configName()
					+ "): no automatic restart: " + none);
		}
	}

	private int lostPartitions(long jobExecutionId) {
		Integer lost = this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCHYARD_NODE_PARTITION"
				+ " WHERE JOB_EXECUTION_ID = ? AND RECOVERED_AT IS NOT NULL", Integer.class, jobExecutionId);
		return (lost != null) ? lost : 0;
	}

	private String whyNoRestart(String jobName, FailureCategory category, JobSettings settings,
			LaunchTriggers.Entry trigger, int restarts, int max) {
		Job job = this.jobRegistry.getObject().getJob(jobName);
		if (job != null && !job.isRestartable()) {
			return "the job is not restartable";
		}
		if (trigger.cancelledAt() != null) {
			return "cancelled by " + trigger.cancelledBy() + " at " + trigger.cancelledAt();
		}
		if (category == FailureCategory.INVALID_INPUT) {
			// Not a setting: restart.on refuses it.
			return INVALID_INPUT;
		}
		if (!settings.restart().on().contains(category)) {
			return "restart.on does not include " + category.configName() + " failures";
		}
		if (max == 0) {
			return trigger.manual() && !settings.restart().manualLaunches() ? "launched by hand"
					: "restart.max-attempts is 0";
		}
		if (restarts >= max) {
			return "all " + max + " automatic restarts made";
		}
		return null;
	}

	private void stopped(JobExecution execution) {
		if (decided(execution.getId())) {
			return;
		}
		JobSettings settings = this.properties.job(execution.getJobInstance().getJobName());
		String none = "stopped by an operator or a shutdown";
		int restarts = restartsMade(execution.getJobInstance().getInstanceId());
		insertDecision(execution, FailureCategory.OPERATOR, restarts, 0, RestartStatus.NONE, null, none,
				this.clock.instant());
		if (settings.notifications().stopped()) {
			notify(execution, "STOPPED", settings, restarts + 1, "no automatic restart: " + none);
		}
	}

	private void completed(JobExecution execution) {
		JobSettings settings = this.properties.job(execution.getJobInstance().getJobName());
		if (SkippedItemRecorder.COMPLETED_WITH_SKIPS.equals(execution.getExitStatus().getExitCode())
				&& settings.notifications().completedWithSkips()) {
			notify(execution, "COMPLETED_WITH_SKIPS", settings,
					restartsMade(execution.getJobInstance().getInstanceId()) + 1, "");
		}
	}

	/**
	 * Cancels the pending automatic restarts of an instance and keeps any later failure
	 * of it from being restarted.
	 * @param instanceId the instance
	 * @param why the reason shown
	 * @return how many pending restarts were cancelled
	 */
	int cancelPending(long instanceId, String why) {
		return this.jdbc.update(
				"UPDATE BATCHYARD_AUTO_RESTART SET STATE = ?, DETAIL = ? WHERE JOB_INSTANCE_ID = ?" + " AND STATE = ?",
				RestartStatus.CANCELLED, "automatic restart cancelled: " + why, instanceId, RestartStatus.PENDING);
	}

	/**
	 * Announces a running execution that outlived its job's expected duration.
	 * @param executionId the execution
	 * @param expected the expected duration
	 * @return 1 if announced, 0 if it had ended meanwhile
	 */
	int announceLongRunning(long executionId, java.time.Duration expected) {
		JobExecution execution = this.jobRepository.getObject().getJobExecution(executionId);
		if (execution == null || !execution.getStatus().isRunning()) {
			return 0;
		}
		JobSettings settings = this.properties.job(execution.getJobInstance().getJobName());
		// Why it is announced is its summary (a running execution has no exit description
		// yet); nothing is decided about its next run.
		String why = "running longer than its expected duration of " + expected + ((execution.getStartTime() != null)
				? " (started at " + execution.getStartTime().atZone(ZoneId.systemDefault()).toInstant() + ")" : "");
		notify(execution, "LONG_RUNNING", settings, restartsMade(execution.getJobInstance().getInstanceId()) + 1, why,
				"");
		return 1;
	}

	/**
	 * Puts a notification into the outbox, one row per channel.
	 * @param execution the execution
	 * @param kind what is announced
	 * @param settings the job's settings
	 * @param attempt which run of the instance this was
	 * @param next what happens next
	 */
	void notify(JobExecution execution, String kind, JobSettings settings, int attempt, String next) {
		notify(execution, kind, settings, attempt, null, next);
	}

	/**
	 * Puts a notification into the outbox, one row per channel.
	 * @param execution the execution
	 * @param kind what is announced
	 * @param settings the job's settings
	 * @param attempt which run of the instance this was
	 * @param summary what it says instead of the first line of the exit description, or
	 * {@code null}
	 * @param next what happens next
	 */
	void notify(JobExecution execution, String kind, JobSettings settings, int attempt, String summary, String next) {
		List<String> channels = settings.notifications().channels().isEmpty()
				? this.properties.notifications().channelNames() : settings.notifications().channels();
		if (channels.isEmpty()) {
			return;
		}
		Notification notification = notification(execution, kind, attempt, summary, next);
		String payload = this.json.writeValueAsString(notification);
		Timestamp now = Timestamp.from(this.clock.instant());
		for (String channel : channels) {
			Integer existing = this.jdbc.queryForObject(
					"SELECT COUNT(*) FROM BATCHYARD_NOTIFICATION"
							+ " WHERE JOB_EXECUTION_ID = ? AND KIND = ? AND CHANNEL = ?",
					Integer.class, execution.getId(), kind, channel);
			if (existing == 0) {
				this.jdbc.update(
						"INSERT INTO BATCHYARD_NOTIFICATION (NOTIFICATION_ID, JOB_EXECUTION_ID, KIND, CHANNEL,"
								+ " PAYLOAD, CREATED_AT, ATTEMPTS, NEXT_ATTEMPT_AT) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
						notification.id(), execution.getId(), kind, channel, payload, now, now);
			}
		}
	}

	private Notification notification(JobExecution execution, String kind, int attempt, String reason, String next) {
		Map<String, String> parameters = new TreeMap<>();
		execution.getJobParameters()
			.forEach((parameter) -> parameters.put(parameter.name(), JobParameterTypes.isAllowed(parameter.type())
					? JobParameterTypes.format(parameter.value()) : String.valueOf(parameter.value())));
		// As the API shows it: the root cause's sentence, or the failed step's when the
		// job itself says nothing (a job whose steps run in a flow).
		String firstLine = ExitDescriptions.firstLine(execution);
		String summary = (reason != null) ? reason : (firstLine != null) ? firstLine : "";
		List<String> nodes = this.jdbc.queryForList(
				"SELECT NODE_ID FROM BATCHYARD_NODE_EXECUTION WHERE JOB_EXECUTION_ID = ?", String.class,
				execution.getId());
		String base = this.properties.dashboard().baseUrl().replaceAll("/+$", "");
		return new Notification(UUID.randomUUID().toString(), kind, execution.getJobInstance().getJobName(),
				execution.getId(), execution.getJobInstance().getInstanceId(), new LinkedHashMap<>(parameters),
				execution.getStatus().name(), execution.getExitStatus().getExitCode(), summary, attempt, next,
				nodes.isEmpty() ? "" : nodes.get(0), base + "/executions/" + execution.getId(),
				this.clock.instant().toString());
	}

	private boolean decided(long executionId) {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM BATCHYARD_AUTO_RESTART WHERE FAILED_EXECUTION_ID = ?",
				Integer.class, executionId) > 0;
	}

	private int restartsMade(long instanceId) {
		return this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM BATCHYARD_AUTO_RESTART WHERE JOB_INSTANCE_ID = ? AND STATE = ?", Integer.class,
				instanceId, RestartStatus.RESTARTED);
	}

	private void insertDecision(JobExecution execution, FailureCategory category, int attempt, int max, String state,
			Instant due, String detail, Instant now) {
		this.jdbc.update("INSERT INTO BATCHYARD_AUTO_RESTART (FAILED_EXECUTION_ID, JOB_INSTANCE_ID, JOB_NAME, CATEGORY,"
				+ " ATTEMPT, MAX_ATTEMPTS, STATE, DUE_AT, DETAIL, CREATED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				execution.getId(), execution.getJobInstance().getInstanceId(), execution.getJobInstance().getJobName(),
				category.name(), attempt, max, state, (due != null) ? Timestamp.from(due) : null, detail,
				Timestamp.from(now));
	}

}
