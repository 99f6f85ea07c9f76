package io.batchyard.launcher.launch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.batchyard.jobs.launch.JobParametersParser;
import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.launcher.catalogue.JobCatalogue;
import io.batchyard.launcher.launch.LaunchRefusedException.Reason;
import io.batchyard.launcher.runner.RunnerNode;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The one way into the job operator, for every trigger: HTTP, command line, queue
 * messages and schedules. It reads through the {@link JobRepository}, acts through the
 * {@link JobOperator}, refuses what {@link ExecutionState} does not allow, and turns
 * Spring Batch's exceptions and the races between concurrent launches into a
 * {@link LaunchRefusedException} with a clear reason.
 */
public class JobLaunchService {

	private static final Log logger = LogFactory.getLog(JobLaunchService.class);

	private static final int LAUNCH_ATTEMPTS = 4;

	private static final int STOP_ATTEMPTS = 5;

	private static final String NO_EXECUTION = "Cannot find any job execution";

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final JobRegistry jobRegistry;

	private final RunnerNode node;

	private final JobParametersParser parser = new JobParametersParser();

	private volatile boolean accepting = true;

	private final JdbcTemplate jdbc;

	private final JobCatalogue catalogue;

	public JobLaunchService(JobOperator jobOperator, JobRepository jobRepository, JobRegistry jobRegistry,
			RunnerNode node, JdbcTemplate jdbc, JobCatalogue catalogue) {
		this.jdbc = jdbc;
		this.catalogue = catalogue;
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.jobRegistry = jobRegistry;
		this.node = node;
	}

	/**
	 * Starts a job. With the server's asynchronous executor this returns as soon as the
	 * execution exists; on the command line it returns when the execution ended. The
	 * job's declared parameters apply first: a bare value gets its declared type, and a
	 * missing one its default ({@link JobCatalogue#complete}).
	 * @param request the job and its parameters
	 * @return the new execution
	 * @throws LaunchRefusedException if the job is unknown, the parameters are invalid,
	 * or the instance is already running or complete
	 */
	public JobExecution launch(LaunchRequest request) {
		refuseIfShuttingDown();
		Job job = job(request.job());
		JobParameters parameters = parameters(this.catalogue.complete(request));
		validate(job, parameters);
		LaunchTriggers.record(this.jdbc, job.getName(), parameters, request.trigger());
		JobExecution execution = start(job, parameters);
		// Outside the retries: a failure here must not pass for a concurrent launch.
		claimIfRunning(execution);
		logger.info("Launched job=" + job.getName() + " execution=" + execution.getId() + " with " + parameters);
		return execution;
	}

	/**
	 * The last execution of the instance a launch would start, if it has one. A launch
	 * made again because its first attempt may or may not have happened (a node died
	 * while making it) records this execution instead: launching again would restart a
	 * FAILED instance, a second execution of the same launch.
	 * @param request the job and its parameters, completed as {@link #launch} completes
	 * them
	 * @return its last execution, or {@code null} if the instance has none
	 * @throws LaunchRefusedException if the job is unknown or the parameters are invalid
	 */
	public JobExecution lastExecution(LaunchRequest request) {
		Job job = job(request.job());
		JobParameters parameters = parameters(this.catalogue.complete(request));
		return this.jobRepository.getLastJobExecution(job.getName(), parameters);
	}

	private JobExecution start(Job job, JobParameters parameters) {
		for (int attempt = 1;; attempt++) {
			try {
				return this.jobOperator.start(job, parameters);
			}
			catch (JobExecutionAlreadyRunningException ex) {
				throw duplicate(job, parameters, Reason.ALREADY_RUNNING);
			}
			catch (JobInstanceAlreadyCompleteException ex) {
				throw duplicate(job, parameters, Reason.ALREADY_COMPLETE);
			}
			catch (JobRestartException ex) {
				throw new LaunchRefusedException(Reason.NOT_ALLOWED, ex.getMessage());
			}
			catch (InvalidJobParametersException ex) {
				throw new LaunchRefusedException(Reason.INVALID_PARAMETERS, ex.getMessage());
			}
			catch (DataIntegrityViolationException | ConcurrencyFailureException | IllegalStateException ex) {
				// A concurrent launch of the same instance won a race: the instance or
				// the running execution now exists (unique keys, or the instance DAO's
				// own check), or the serializable create failed. Looking again finds it
				// and answers "already running".
				if (attempt == LAUNCH_ATTEMPTS || (ex instanceof IllegalStateException && !isLaunchRace(ex))) {
					throw ex;
				}
				logger.debug("Concurrent launch of " + job.getName() + " " + parameters + ", looking again", ex);
				backOff(attempt);
				if (attempt == LAUNCH_ATTEMPTS - 1 && String.valueOf(ex.getMessage()).startsWith(NO_EXECUTION)) {
					// Still no execution after the back-off: not a launch in progress but
					// an
					// instance left behind by one that failed; remove it and start
					// afresh.
					deleteIfOrphan(job, parameters);
				}
			}
		}
	}

	/**
	 * Restarts a FAILED or STOPPED execution: a new execution of the same instance that
	 * skips the completed steps and resumes the failed one from its last commit.
	 * @param executionId the execution to restart
	 * @return the new execution
	 */
	public JobExecution restart(long executionId) {
		refuseIfShuttingDown();
		JobExecution execution;
		try {
			execution = allowed(executionId, ExecutionAction.RESTART);
		}
		catch (LaunchRefusedException ex) {
			// Refused because a later execution exists: if it runs or completed, this is
			// a duplicate of a restart that won, and the answer names that execution.
			LaunchRefusedException duplicate = (ex.getReason() == Reason.NOT_ALLOWED)
					? restartedMeanwhile(execution(executionId)) : null;
			throw (duplicate != null) ? duplicate : ex;
		}
		JobExecution restarted;
		try {
			restarted = this.jobOperator.restart(execution);
		}
		catch (JobRestartException ex) {
			// The operator wraps "already running" and "already complete": a concurrent
			// restart of the same execution won.
			if (ex.getCause() instanceof JobExecutionAlreadyRunningException
					|| ex.getCause() instanceof JobInstanceAlreadyCompleteException) {
				throw concurrentRestart(execution);
			}
			throw new LaunchRefusedException(Reason.NOT_ALLOWED,
					"Execution " + executionId + " cannot be restarted: " + ex.getMessage());
		}
		catch (DataIntegrityViolationException | ConcurrencyFailureException ex) {
			throw concurrentRestart(execution);
		}
		claimIfRunning(restarted);
		logger.info("Restarted job=" + restarted.getJobInstance().getJobName() + " execution=" + executionId
				+ " as execution=" + restarted.getId());
		return restarted;
	}

	/**
	 * A duplicate restart: a later execution of the same instance runs or completed.
	 * @param execution the execution asked to restart
	 * @return the refusal naming the later execution, or {@code null} if there is none
	 */
	private LaunchRefusedException restartedMeanwhile(JobExecution execution) {
		JobExecution last = this.jobRepository.getLastJobExecution(execution.getJobInstance());
		if (last == null || last.getId() == execution.getId()) {
			return null;
		}
		if (last.isRunning()) {
			return new LaunchRefusedException(Reason.ALREADY_RUNNING, "Execution " + execution.getId()
					+ " was restarted as execution " + last.getId() + ", which is running", last.getId());
		}
		if (last.getStatus() == BatchStatus.COMPLETED) {
			return new LaunchRefusedException(Reason.ALREADY_COMPLETE, "Execution " + execution.getId()
					+ " was restarted as execution " + last.getId() + ", which completed", last.getId());
		}
		return null;
	}

	private LaunchRefusedException concurrentRestart(JobExecution execution) {
		// The winner's execution is committed before this restart's insert fails, but
		// look again briefly in case the database reported the conflict first.
		for (int attempt = 1; attempt <= LAUNCH_ATTEMPTS; attempt++) {
			LaunchRefusedException duplicate = restartedMeanwhile(execution);
			if (duplicate != null) {
				return duplicate;
			}
			backOff(attempt);
		}
		return new LaunchRefusedException(Reason.ALREADY_RUNNING,
				"Execution " + execution.getId()
						+ " cannot be restarted yet: another restart or one of its steps is still running",
				execution.getId());
	}

	/**
	 * Asks a running execution to stop; it ends STOPPED at its next chunk boundary.
	 * @param executionId the execution
	 * @return the execution, now STOPPING
	 */
	public JobExecution stop(long executionId) {
		JobExecution execution = allowed(executionId, ExecutionAction.STOP);
		if (!requestStop(execution)) {
			throw new LaunchRefusedException(Reason.NOT_ALLOWED,
					"Execution " + executionId + " cannot be stopped: it is not running");
		}
		logger.info("Stop requested for job=" + execution.getJobInstance().getJobName() + " execution=" + executionId);
		return this.jobRepository.getJobExecution(executionId);
	}

	/**
	 * Marks a running execution STOPPING and leaves its step executions to the thread
	 * that runs them: each chunk commit reads the job's status, and the step ends STOPPED
	 * at the next boundary. {@code JobOperator.stop} of Spring Batch 6.0 also writes the
	 * running step execution from the calling thread, which races the step's own chunk
	 * commit on the row's version (spring-batch#5120, #5308): the step then fails with an
	 * {@code OptimisticLockingFailureException} and the execution ends FAILED instead of
	 * STOPPED.
	 * @param execution the execution
	 * @return {@code false} when it was no longer running
	 */
	public boolean requestStop(JobExecution execution) {
		for (int attempt = 1;; attempt++) {
			JobExecution current = this.jobRepository.getJobExecution(execution.getId());
			if (current == null
					|| (current.getStatus() != BatchStatus.STARTING && current.getStatus() != BatchStatus.STARTED)) {
				return false;
			}
			current.setStatus(BatchStatus.STOPPING);
			try {
				this.jobRepository.update(current);
				return true;
			}
			catch (OptimisticLockingFailureException ex) {
				// The job thread updated the execution meanwhile: read it again.
				if (attempt == STOP_ATTEMPTS) {
					throw ex;
				}
			}
		}
	}

	/**
	 * Abandons a FAILED or STOPPED execution: its instance can never be restarted.
	 * @param executionId the execution
	 * @return the execution, now ABANDONED
	 */
	public JobExecution abandon(long executionId) {
		JobExecution execution = allowed(executionId, ExecutionAction.ABANDON);
		try {
			JobExecution abandoned = this.jobOperator.abandon(execution);
			logger.info("Abandoned job=" + execution.getJobInstance().getJobName() + " execution=" + executionId);
			return abandoned;
		}
		catch (JobExecutionAlreadyRunningException ex) {
			throw new LaunchRefusedException(Reason.NOT_ALLOWED, "Execution " + executionId + " is running");
		}
	}

	/**
	 * Recovers an execution left running by a dead node: it becomes FAILED and
	 * restartable.
	 * @param executionId the execution
	 * @return the execution, now FAILED
	 */
	public JobExecution recover(long executionId) {
		JobExecution execution = allowed(executionId, ExecutionAction.RECOVER);
		JobExecution recovered = this.jobOperator.recover(execution);
		logger.warn("Recovered job=" + execution.getJobInstance().getJobName() + " execution=" + executionId
				+ " by request: now " + recovered.getStatus());
		return recovered;
	}

	/**
	 * Carries out an action by name.
	 * @param executionId the execution
	 * @param action the action
	 * @return the resulting execution (for a restart, the new one)
	 */
	public JobExecution act(long executionId, ExecutionAction action) {
		return switch (action) {
			case RESTART -> restart(executionId);
			case STOP -> stop(executionId);
			case ABANDON -> abandon(executionId);
			case RECOVER -> recover(executionId);
		};
	}

	/**
	 * The facts that decide which actions an execution allows now.
	 * @param execution the execution
	 * @return its state
	 */
	public ExecutionState state(JobExecution execution) {
		JobInstance instance = execution.getJobInstance();
		JobExecution last = this.jobRepository.getLastJobExecution(instance);
		boolean lastOfInstance = last == null || last.getId() == execution.getId();
		Job job = this.jobRegistry.getJob(instance.getJobName());
		boolean restartable = job != null && job.isRestartable();
		// A stop through JobOperator.stop (another client of the repository) marks the
		// job execution STOPPED at once while its step finishes the chunk in flight:
		// until then it is still stopping, and neither a restart nor an abandon may race
		// the running step.
		BatchStatus status = execution.getStatus();
		if (!status.isRunning()
				&& execution.getStepExecutions().stream().anyMatch((step) -> step.getStatus().isRunning())) {
			status = BatchStatus.STOPPING;
		}
		boolean alive = !status.isRunning() || this.node.isRunnerAlive(execution.getId());
		return new ExecutionState(status, lastOfInstance, restartable, alive);
	}

	/**
	 * What becomes of an execution's work: it goes on, it completed, or it ended
	 * unfinished and nothing resumes it on its own. The one place the views of a job's
	 * own records (an image batch's status) take it from.
	 * @param execution the execution (for an instance's work, its last one)
	 * @return its fate
	 */
	public ExecutionFate fate(JobExecution execution) {
		return ExecutionFate.of(execution, () -> state(execution),
				() -> RestartStatus.of(this.jdbc, execution.getId()));
	}

	/**
	 * Stops taking new launches and restarts (shutdown).
	 */
	public void refuseNewLaunches() {
		this.accepting = false;
	}

	/**
	 * Whether this node still takes new launches.
	 * @return {@code false} once it began to shut down
	 */
	public boolean isAcceptingLaunches() {
		return this.accepting;
	}

	private void refuseIfShuttingDown() {
		if (!this.accepting) {
			throw new LaunchRefusedException(Reason.SHUTTING_DOWN, "This runner node is shutting down");
		}
	}

	/**
	 * Reads parameters in Spring Batch's notation, allowing only the types of
	 * {@link io.batchyard.jobs.launch.JobParameterTypes} and values that fit the
	 * repository, before anything is written.
	 * @param parameters the parameters
	 * @return the job parameters
	 * @throws LaunchRefusedException naming the parameter that is refused and why
	 */
	public JobParameters parameters(Map<String, String> parameters) {
		try {
			return this.parser.parse(parameters);
		}
		catch (IllegalArgumentException ex) {
			throw new LaunchRefusedException(Reason.INVALID_PARAMETERS, ex.getMessage());
		}
	}

	/**
	 * Reads one execution, with its steps, through the repository.
	 * @param executionId the execution
	 * @return the execution
	 * @throws LaunchRefusedException if there is no such execution
	 */
	public JobExecution execution(long executionId) {
		JobExecution execution;
		try {
			execution = this.jobRepository.getJobExecution(executionId);
		}
		catch (EmptyResultDataAccessException ex) {
			// Spring Batch 6.0 throws here instead of answering null for an unknown id.
			execution = null;
		}
		if (execution == null) {
			throw new LaunchRefusedException(Reason.UNKNOWN_EXECUTION, "No job execution with id " + executionId);
		}
		return execution;
	}

	private Job job(String name) {
		Job job = this.jobRegistry.getJob(name);
		if (job == null) {
			throw new LaunchRefusedException(Reason.UNKNOWN_JOB,
					"No job named '" + name + "'; known jobs: " + List.copyOf(this.jobRegistry.getJobNames()));
		}
		return job;
	}

	private JobExecution allowed(long executionId, ExecutionAction action) {
		JobExecution execution = execution(executionId);
		ExecutionState state = state(execution);
		if (!state.allowedActions().contains(action)) {
			throw new LaunchRefusedException(Reason.NOT_ALLOWED, "Cannot " + action.path() + " execution " + executionId
					+ " (" + execution.getStatus() + "): " + state.refusal(action), executionId);
		}
		return execution;
	}

	/**
	 * Spring Batch 6 creates the job instance before it validates the parameters: an
	 * invalid launch would leave an instance without executions behind, and every later
	 * launch with the same parameters would fail with "Cannot find any job execution".
	 */
	private static void validate(Job job, JobParameters parameters) {
		try {
			job.getJobParametersValidator().validate(parameters);
		}
		catch (InvalidJobParametersException ex) {
			throw new LaunchRefusedException(Reason.INVALID_PARAMETERS, ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			// JobParameters' typed getters refuse a parameter of another type, for
			// example an asOf given as a Long.
			throw new LaunchRefusedException(Reason.INVALID_PARAMETERS, ex.getMessage());
		}
	}

	/**
	 * Whether Spring Batch reports a concurrent launch of the same instance: a new
	 * instance created by another launch between this one's look-up and insert, or seen
	 * before its first execution was inserted (separate transactions).
	 */
	private static boolean isLaunchRace(RuntimeException ex) {
		String message = String.valueOf(ex.getMessage());
		return message.startsWith(NO_EXECUTION) || message.startsWith("JobInstance must not already exist");
	}

	private void deleteIfOrphan(Job job, JobParameters parameters) {
		JobInstance instance = this.jobRepository.getJobInstance(job.getName(), parameters);
		if (instance != null && this.jobRepository.getJobExecutions(instance).isEmpty()) {
			this.jobRepository.deleteJobInstance(instance);
			logger.warn("Removed job instance " + instance.getInstanceId() + " of " + job.getName()
					+ " left without an execution by an interrupted launch");
		}
	}

	private LaunchRefusedException duplicate(Job job, JobParameters parameters, Reason reason) {
		JobExecution existing = this.jobRepository.getLastJobExecution(job.getName(), parameters);
		Long id = (existing != null) ? existing.getId() : null;
		String what = (reason == Reason.ALREADY_RUNNING) ? "is already running" : "is already complete";
		// name=value, sorted: Spring Batch's JobParameter.toString shows its record
		// components and the value's class.
		String identifying = parameters.getIdentifyingParameters()
			.stream()
			.map((parameter) -> parameter.name() + "=" + parameter.value())
			.sorted()
			.collect(Collectors.joining(", "));
		return new LaunchRefusedException(reason, "Job " + job.getName() + " with identifying parameters " + identifying
				+ " " + what + ((id != null) ? " (execution " + id + ")" : ""), id);
	}

	private void claimIfRunning(JobExecution execution) {
		if (execution.getStatus().isRunning()) {
			this.node.claim(execution.getId());
		}
	}

	private static void backOff(int attempt) {
		try {
			Thread.sleep(Duration.ofMillis(25L * attempt).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
