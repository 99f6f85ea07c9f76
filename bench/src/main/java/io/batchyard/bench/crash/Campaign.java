package io.batchyard.bench.crash;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import io.batchyard.bench.crash.Workload.Fault;
import io.batchyard.bench.crash.Workload.Run;

/**
 * The trials on one database: one yard and one node for every job (a kill -9 costs one
 * node start, the trials' only large fixed cost), the jobs' uninterrupted baselines side
 * by side, then the trials in groups of the same fault: each group's runs launched on the
 * running node so that one interruption (one kill, one connection drop, one outage)
 * reaches each at its own moment, the product left to bring them back, and each end state
 * compared with its job's baseline. Only one group is in flight at a time, so a fault
 * reaches only the runs that drew it.
 */
final class Campaign {

	private static final Duration POLL = Duration.ofMillis(200);

	/** How long an ended execution may wait for its automatic-restart decision row. */
	private static final Duration DECISION_GRACE = Duration.ofSeconds(5);

	private static final Duration FAULT_LENGTH = Duration.ofSeconds(3);

	private final Path jar;

	private final Yard yard;

	private final FaultProxy sqsProxy;

	private final Duration trialTimeout;

	private final Path logs;

	private final List<String> settings = new ArrayList<>();

	private Node node;

	Campaign(Path jar, List<Workload> workloads, Yard yard, FaultProxy sqsProxy, Duration trialTimeout, Path logs) {
		this.jar = jar;
		this.yard = yard;
		this.sqsProxy = sqsProxy;
		this.trialTimeout = trialTimeout;
		this.logs = logs;
		this.settings.addAll(List.of("--batchyard.embedded.sqs.enabled=false",
				"--batchyard.embedded.dynamodb.enabled=false", "--batchyard.embedded.sns.enabled=false",
				"--batchyard.embedded.postingest.provision=false", "--batchyard.launcher.sqs.enabled=false",
				"--batchyard.scheduler.enabled=false", "--batchyard.runner.heartbeat-interval=500ms",
				"--batchyard.runner.heartbeat-timeout=3s", "--batchyard.automatic-restarts.poll-interval=500ms"));
		// Every SQS call of the node goes through the proxy (the SQS-down fault).
		this.settings.add("--spring.cloud.aws.sqs.endpoint=" + sqsProxy.endpoint());
		if (workloads.stream().noneMatch((workload) -> workload.job().startsWith("postingest"))) {
			this.settings.add("--batchyard.jobs.postingest.enabled=false");
		}
		this.settings.addAll(yard.settings());
		Set<String> shared = new LinkedHashSet<>();
		for (Workload workload : workloads) {
			String job = workload.job();
			// Every interruption is brought back by the product itself: launched by
			// hand or not, a lost node or an infrastructure fault is restarted.
			this.settings.addAll(List.of("--batchyard.jobs." + job + ".restart.manual-launches=true",
					"--batchyard.jobs." + job + ".restart.max-attempts=20",
					"--batchyard.jobs." + job + ".restart.backoff=500ms",
					"--batchyard.jobs." + job + ".restart.max-backoff=2s"));
			// A setting two jobs share (the enhancement chunk size) given twice would
			// bind
			// as a list.
			shared.addAll(workload.settings(yard));
		}
		this.settings.addAll(shared);
	}

	/**
	 * Runs every job's uninterrupted baseline twice, the jobs side by side as their
	 * trials run: run 0 gives the expected end state, run 1, on the now warm node, the
	 * duration the trials' moments are drawn from (a cold node's first run is several
	 * times slower), and must leave the same end state.
	 * @param workloads the jobs' workloads
	 * @return the expectation and the duration of each, or the failure, by job
	 */
	Map<String, Object> baselines(List<Workload> workloads) {
		long deadline = System.nanoTime() + this.trialTimeout.toNanos();
		ensureNode(deadline);
		Map<String, Object> outcomes = new LinkedHashMap<>();
		Map<String, Run> first = new LinkedHashMap<>();
		for (Workload workload : workloads) {
			try {
				workload.prepare(this.yard, 0);
				first.put(workload.job(), workload.launch(this.node, this.yard, 0));
			}
			catch (RuntimeException ex) {
				outcomes.put(workload.job(), ex);
			}
		}
		Map<String, EndState> expected = new LinkedHashMap<>();
		inParallel(workloads.stream().filter((workload) -> first.containsKey(workload.job())).toList(), (workload) -> {
			Run run = first.get(workload.job());
			awaitComplete(run, deadline, new int[1]);
			return workload.endState(this.yard, run);
		}).forEach((job, outcome) -> {
			if (outcome instanceof EndState state) {
				expected.put(job, state);
			}
			else {
				outcomes.put(job, outcome);
			}
		});
		long again = System.nanoTime() + this.trialTimeout.toNanos();
		ensureNode(again);
		Map<String, Run> second = new LinkedHashMap<>();
		Map<String, Long> starts = new LinkedHashMap<>();
		List<Workload> warm = workloads.stream().filter((workload) -> expected.containsKey(workload.job())).toList();
		for (Workload workload : warm) {
			try {
				workload.prepare(this.yard, 1);
				starts.put(workload.job(), System.nanoTime());
				second.put(workload.job(), workload.launch(this.node, this.yard, 1));
			}
			catch (RuntimeException ex) {
				outcomes.put(workload.job(), ex);
			}
		}
		inParallel(warm.stream().filter((workload) -> second.containsKey(workload.job())).toList(), (workload) -> {
			Run run = second.get(workload.job());
			awaitComplete(run, again, new int[1]);
			Duration duration = Duration.ofNanos(System.nanoTime() - starts.get(workload.job()));
			EndState repeated = workload.endState(this.yard, run);
			EndState state = expected.get(workload.job());
			if (!repeated.kinds().equals(state.kinds())) {
				throw new IllegalStateException("Two uninterrupted runs of " + workload.job() + " differ: "
						+ state.checksums() + " and " + repeated.checksums());
			}
			return new Baseline(state, duration);
		}).forEach(outcomes::put);
		return outcomes;
	}

	/**
	 * Draws a trial's fault and moment from its seed alone.
	 * @param workload the job's workload
	 * @param number the run number
	 * @param trialSeed the seed
	 * @param baseline the job's baseline
	 * @return the trial
	 */
	Planned plan(Workload workload, int number, long trialSeed, Baseline baseline) {
		SplittableRandom random = new SplittableRandom(trialSeed);
		List<Fault> faults = new ArrayList<>();
		faults.add(Fault.KILL);
		faults.addAll(workload.faults(this.yard));
		// Half the trials kill the node; the rest share the job's other faults.
		Fault fault = (random.nextBoolean() || faults.size() == 1) ? Fault.KILL
				: faults.get(1 + random.nextInt(faults.size() - 1));
		long moment = (long) (random.nextDouble() * baseline.duration().toMillis());
		return new Planned(workload, number, trialSeed, fault, moment, baseline);
	}

	/**
	 * Trials interrupted together, side by side: each launched so that the interruption
	 * comes at its own moment after its launch (the latest moment first), then the
	 * interruption, then each brought back and compared. A kill or a connection drop
	 * reaches every run of the node, so its group holds only trials that drew it; the
	 * stand-ins' faults (SQS down, DLCS storm, blob store errors) reach only the runs of
	 * the jobs using that stand-in, which draw no other stand-in fault, so they share one
	 * group and one window.
	 * @param trials the trials: all {@code KILL}, all
	 * {@code DATABASE_CONNECTIONS_DROPPED}, or stand-in faults
	 * @return what happened to each
	 */
	List<TrialResult> group(List<Planned> trials) {
		long deadline = System.nanoTime() + this.trialTimeout.toNanos();
		List<Planned> order = new ArrayList<>(trials);
		order.sort(Comparator.comparingLong(Planned::moment).reversed());
		Map<String, Run> runs = new LinkedHashMap<>();
		Map<String, Long> launched = new LinkedHashMap<>();
		Map<String, TrialResult> results = new LinkedHashMap<>();
		try {
			ensureNode(deadline);
			List<Planned> prepared = new ArrayList<>();
			for (Planned trial : order) {
				try {
					trial.workload().prepare(this.yard, trial.number());
					prepared.add(trial);
				}
				catch (RuntimeException ex) {
					results.put(trial.job(), failed(trial, trial.moment(), ex));
				}
			}
			long latest = order.get(0).moment();
			long start = System.nanoTime();
			// Each launch on its own thread at its own time: a slow launch (a busy node)
			// does not delay the next one. The interruption waits for every launch to
			// have returned, so it never strikes a launch in flight.
			Node current = this.node;
			inParallel(prepared.stream().map(Planned::workload).toList(), (workload) -> {
				Planned trial = prepared.stream()
					.filter((each) -> each.job().equals(workload.job()))
					.findFirst()
					.orElseThrow();
				sleepUntil(start + Duration.ofMillis(latest - trial.moment()).toNanos());
				Run run = workload.launch(current, this.yard, trial.number());
				synchronized (launched) {
					launched.put(trial.job(), System.nanoTime());
					runs.put(trial.job(), run);
				}
				return run;
			}).forEach((job, outcome) -> {
				if (outcome instanceof RuntimeException ex) {
					Planned trial = prepared.stream()
						.filter((each) -> each.job().equals(job))
						.findFirst()
						.orElseThrow();
					results.put(job, failed(trial, trial.moment(), ex));
				}
			});
			sleepUntil(start + Duration.ofMillis(latest).toNanos());
			long interrupted = System.nanoTime();
			// The moment each run was struck; the recovery is timed from after the kill's
			// reads.
			long struckAt = interrupted;
			Map<String, Boolean> running = new LinkedHashMap<>();
			Map<String, Set<String>> committed = new LinkedHashMap<>();
			Map<String, List<String>> killedSteps = new LinkedHashMap<>();
			runs.forEach((job, run) -> running.put(job, running(run)));
			Fault fault = order.get(0).fault();
			if (fault == Fault.KILL) {
				this.node.kill();
				this.node = null;
				// Read after the kill: whatever each run had committed when it died.
				this.yard.holding(() -> {
					for (Planned trial : order) {
						Run run = runs.get(trial.job());
						if (run != null) {
							running.put(trial.job(), running(run));
							committed.put(trial.job(), trial.workload().committedKeys(this.yard, run));
							killedSteps.put(trial.job(), stepCounters(run));
						}
					}
					return null;
				});
				interrupted = System.nanoTime();
				ensureNode(deadline);
			}
			else if (fault == Fault.DATABASE_CONNECTIONS_DROPPED) {
				this.yard.terminateApplicationConnections();
			}
			else {
				// The stand-ins' faults, all at once: each reaches only its own runs.
				List<Planned> struckTrials = started(order, runs);
				boolean sqs = struckTrials.stream().anyMatch((trial) -> trial.fault() == Fault.SQS_DOWN);
				if (sqs) {
					this.sqsProxy.down();
				}
				struckTrials.forEach((trial) -> trial.workload().fault(trial.fault(), true));
				try {
					Waits.sleep(FAULT_LENGTH);
				}
				finally {
					this.sqsProxy.up();
					struckTrials.forEach((trial) -> trial.workload().fault(trial.fault(), false));
				}
			}
			long at = interrupted;
			long struck = struckAt;
			List<Planned> started = started(order, runs);
			Map<String, Object> outcomes = inParallel(started.stream().map(Planned::workload).toList(), (workload) -> {
				String job = workload.job();
				Planned trial = started.stream().filter((each) -> each.job().equals(job)).findFirst().orElseThrow();
				Run run = runs.get(job);
				int[] restarts = new int[1];
				awaitComplete(run, deadline, restarts);
				Duration recovery = Duration.ofNanos(System.nanoTime() - at);
				EndState actual = workload.endState(this.yard, run);
				// The killed execution's steps as the recovery left them: it changes
				// their status, never what they counted and committed (issue 17's
				// commit count).
				EndState expected = trial.baseline().state();
				List<String> steps = killedSteps.getOrDefault(job, List.of());
				if (!steps.isEmpty()) {
					expected = expected.with(EndState.RECOVERY, steps);
					actual.add(EndState.RECOVERY, stepCounters(steps));
				}
				return TrialResult.compare(workload, trial.number(), trial.seed(), trial.fault(),
						moment(trial, launched, struck), running.get(job), expected, actual,
						committed.getOrDefault(job, Set.of()), recovery, restarts[0]);
			});
			for (Planned trial : started) {
				Object outcome = outcomes.get(trial.job());
				results.put(trial.job(), (outcome instanceof TrialResult result) ? result
						: failed(trial, moment(trial, launched, struck), (RuntimeException) outcome));
			}
		}
		catch (RuntimeException ex) {
			// A group that did not finish: count its trials, start over on a fresh node.
			if (this.node != null) {
				this.node.close();
				this.node = null;
			}
			this.sqsProxy.up();
			for (Planned trial : order) {
				results.putIfAbsent(trial.job(), failed(trial, trial.moment(), ex));
			}
		}
		return order.stream().map((trial) -> results.get(trial.job())).toList();
	}

	private static List<Planned> started(List<Planned> trials, Map<String, Run> runs) {
		return trials.stream().filter((trial) -> runs.containsKey(trial.job())).toList();
	}

	/** The moment the interruption really came, after the run's launch returned. */
	private static long moment(Planned trial, Map<String, Long> launched, long interrupted) {
		Long launch = launched.get(trial.job());
		return (launch != null) ? Math.max(0, Duration.ofNanos(interrupted - launch).toMillis()) : trial.moment();
	}

	private static TrialResult failed(Planned trial, long moment, RuntimeException ex) {
		return TrialResult.failed(trial.workload(), trial.number(), trial.seed(), trial.fault(), moment,
				ex.getClass().getSimpleName() + ": " + ex.getMessage());
	}

	private static void sleepUntil(long nanoTime) {
		long left = nanoTime - System.nanoTime();
		if (left > 0) {
			Waits.sleep(Duration.ofNanos(left));
		}
	}

	/**
	 * Runs a task per workload on threads of its own and waits for all of them.
	 * @return by job, the task's result or the exception it threw
	 */
	private static Map<String, Object> inParallel(List<Workload> workloads, Function<Workload, Object> task) {
		Map<String, Object> outcomes = new LinkedHashMap<>();
		if (workloads.isEmpty()) {
			return outcomes;
		}
		ExecutorService executor = Executors.newFixedThreadPool(workloads.size());
		try {
			Map<String, Future<Object>> futures = new LinkedHashMap<>();
			for (Workload workload : workloads) {
				futures.put(workload.job(), executor.submit(() -> task.apply(workload)));
			}
			futures.forEach((job, future) -> {
				try {
					outcomes.put(job, future.get());
				}
				catch (ExecutionException ex) {
					outcomes.put(job, (ex.getCause() instanceof RuntimeException runtime) ? runtime
							: new IllegalStateException(ex.getCause()));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					outcomes.put(job, new IllegalStateException(ex));
				}
			});
		}
		finally {
			executor.shutdownNow();
		}
		return outcomes;
	}

	/**
	 * The counters of the step executions of the run's last execution, as the file holds
	 * them now.
	 */
	private List<String> stepCounters(Run run) {
		List<String> latest = this.yard.lines(LATEST, run.job(), run.parameter(), run.value());
		if (latest.isEmpty()) {
			return List.of();
		}
		return this.yard.lines(COUNTERS + " WHERE JOB_EXECUTION_ID = ?", Long.parseLong(latest.get(0).split("\\|")[0]));
	}

	/** The same step executions' counters again. */
	private List<String> stepCounters(List<String> before) {
		List<String> after = new ArrayList<>();
		for (String step : before) {
			after.addAll(
					this.yard.lines(COUNTERS + " WHERE STEP_EXECUTION_ID = ?", Long.parseLong(step.split("\\|")[0])));
		}
		return after;
	}

	private static final String COUNTERS = "SELECT STEP_EXECUTION_ID, STEP_NAME, COMMIT_COUNT, READ_COUNT, WRITE_COUNT,"
			+ " FILTER_COUNT, READ_SKIP_COUNT + PROCESS_SKIP_COUNT + WRITE_SKIP_COUNT, ROLLBACK_COUNT"
			+ " FROM BATCH_STEP_EXECUTION";

	/** Whether the run's last execution is still running (or not yet created). */
	private boolean running(Run run) {
		List<String> latest = this.yard.lines(LATEST, run.job(), run.parameter(), run.value());
		return latest.isEmpty() || latest.get(0).matches(".*\\|(STARTING|STARTED|STOPPING)");
	}

	private void ensureNode(long deadline) {
		if (this.node == null || !this.node.alive()) {
			this.node = Node.start(this.jar, this.yard.directory(), this.logs, this.settings, deadline);
		}
	}

	/**
	 * Waits until the instance's last execution completed, restarting it through the API
	 * only when the product will not (no automatic restart pending).
	 */
	private void awaitComplete(Run run, long deadline, int[] restarts) {
		long endedSince = 0;
		long endedId = -1;
		while (true) {
			List<String> latest = this.yard.lines(LATEST, run.job(), run.parameter(), run.value());
			if (!latest.isEmpty()) {
				String[] fields = latest.get(0).split("\\|");
				long id = Long.parseLong(fields[0]);
				String status = fields[1];
				if (status.equals("COMPLETED")) {
					return;
				}
				if (status.equals("FAILED") || status.equals("STOPPED")) {
					if (id != endedId) {
						endedId = id;
						endedSince = System.nanoTime();
					}
					String decision = this.yard
						.string("SELECT STATE FROM BATCHYARD_AUTO_RESTART WHERE FAILED_EXECUTION_ID = ?", id);
					boolean coming = "PENDING".equals(decision) || "CLAIMED".equals(decision)
							|| "RESTARTED".equals(decision)
							|| (decision == null && System.nanoTime() - endedSince < DECISION_GRACE.toNanos());
					if (!coming) {
						HttpResponse<String> answer = this.node.restart(id);
						if (answer.statusCode() == 202) {
							restarts[0]++;
						}
					}
				}
				if (status.equals("ABANDONED")) {
					throw new IllegalStateException("Execution " + id + " of " + run + " was abandoned");
				}
				if (status.equals("UNKNOWN")) {
					// Spring Batch refuses to restart it and nothing recovers it:
					// stranded.
					throw new IllegalStateException(
							"Execution " + id + " of " + run + " ended UNKNOWN: neither recovered nor restartable");
				}
			}
			Waits.pause(POLL, deadline, "completion of " + run);
		}
	}

	private static final String LATEST = "SELECT E.JOB_EXECUTION_ID, E.STATUS FROM BATCH_JOB_EXECUTION E"
			+ " JOIN BATCH_JOB_INSTANCE I ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID WHERE I.JOB_NAME = ?"
			+ " AND EXISTS (SELECT 1 FROM BATCH_JOB_EXECUTION_PARAMS P WHERE P.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID"
			+ " AND P.PARAMETER_NAME = ? AND P.PARAMETER_VALUE = ?) ORDER BY E.JOB_EXECUTION_ID DESC";

	/**
	 * The executions of a run's instance.
	 * @param yard where it ran
	 * @param run the run
	 * @return their ids, oldest first
	 */
	static List<String> executions(Yard yard, Run run) {
		List<String> ids = new ArrayList<>(
				yard.lines(LATEST.replace("E.JOB_EXECUTION_ID, E.STATUS", "E.JOB_EXECUTION_ID"), run.job(),
						run.parameter(), run.value()));
		java.util.Collections.reverse(ids);
		if (ids.isEmpty()) {
			ids.add("-1");
		}
		return ids;
	}

	/**
	 * Read, write, filter and skip counts per step, summed over the executions: what an
	 * interrupted and resumed run must add up to.
	 * @param yard where it ran
	 * @param executions the execution ids, comma separated
	 * @return one line per step
	 */
	static List<String> stepCounts(Yard yard, String executions) {
		return yard.lines("SELECT STEP_NAME, SUM(READ_COUNT), SUM(WRITE_COUNT), SUM(FILTER_COUNT),"
				+ " SUM(READ_SKIP_COUNT + PROCESS_SKIP_COUNT + WRITE_SKIP_COUNT) FROM BATCH_STEP_EXECUTION"
				+ " WHERE JOB_EXECUTION_ID IN (" + executions + ") GROUP BY STEP_NAME");
	}

	/**
	 * Skip counts per step, summed over the executions: for a job whose other counts
	 * differ after an interruption by design (its effects are outside the chunk).
	 * @param yard where it ran
	 * @param executions the execution ids, comma separated
	 * @return one line per step
	 */
	static List<String> skipCounts(Yard yard, String executions) {
		return yard.lines("SELECT STEP_NAME, SUM(READ_SKIP_COUNT + PROCESS_SKIP_COUNT + WRITE_SKIP_COUNT)"
				+ " FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID IN (" + executions + ") GROUP BY STEP_NAME");
	}

	/**
	 * The skipped-item records of the executions.
	 * @param yard where it ran
	 * @param executions the execution ids, comma separated
	 * @return one line per record
	 */
	static List<String> skippedItems(Yard yard, String executions) {
		return yard.lines("SELECT 'skipped', STEP_NAME, PHASE, ITEM_POSITION, ITEM_KEY, REASON"
				+ " FROM BATCHYARD_SKIPPED_ITEM WHERE JOB_EXECUTION_ID IN (" + executions + ")");
	}

	/**
	 * The last execution's exit code and description, execution ids masked.
	 * @param yard where it ran
	 * @param executions the execution ids, oldest first
	 * @return one line
	 */
	static List<String> lastExit(Yard yard, List<String> executions) {
		return yard
			.lines("SELECT EXIT_CODE, EXIT_MESSAGE FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?",
					Long.parseLong(executions.get(executions.size() - 1)))
			.stream()
			.map((line) -> line.replaceAll("executions? \\d+(, \\d+)*", "execution #"))
			.toList();
	}

	void close() {
		if (this.node != null) {
			this.node.close();
			this.node = null;
		}
	}

	/**
	 * The uninterrupted run.
	 *
	 * @param state what it left
	 * @param duration from launch to completion
	 */
	record Baseline(EndState state, Duration duration) {

	}

	/**
	 * A trial as its seed drew it.
	 *
	 * @param workload the job's workload
	 * @param number the run number
	 * @param seed the trial's seed
	 * @param fault how it is interrupted
	 * @param moment when, after its launch, in milliseconds
	 * @param baseline the job's expectation
	 */
	record Planned(Workload workload, int number, long seed, Fault fault, long moment, Baseline baseline) {

		String job() {
			return this.workload.job();
		}

	}

}
