package io.batchyard.bench.crash;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.Set;

import io.batchyard.bench.crash.Workload.Fault;
import io.batchyard.bench.crash.Workload.Run;

/**
 * The trials on one database: one yard and one node for every job (a kill -9 costs one
 * node start, the trials' only large fixed cost), each job's uninterrupted baseline, then
 * each trial launched on the running node and interrupted at its moment, the product left
 * to bring itself back, and the end state compared with the baseline's. Only one run is
 * in flight at a time, so an interruption reaches that run alone.
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

	private int manualRestarts;

	Campaign(Path jar, List<Workload> workloads, Yard yard, FaultProxy sqsProxy, Duration trialTimeout, Path logs) {
		this.jar = jar;
		this.yard = yard;
		this.sqsProxy = sqsProxy;
		this.trialTimeout = trialTimeout;
		this.logs = logs;
		this.settings
			.addAll(List.of("--batchyard.embedded.sqs.enabled=false", "--batchyard.embedded.dynamodb.enabled=false",
					"--batchyard.embedded.sns.enabled=false", "--batchyard.embedded.postingest.provision=false",
					"--batchyard.jobs.postingest.enabled=false", "--batchyard.launcher.sqs.enabled=false",
					"--batchyard.scheduler.enabled=false", "--batchyard.runner.heartbeat-interval=500ms",
					"--batchyard.runner.heartbeat-timeout=3s", "--batchyard.automatic-restarts.poll-interval=500ms"));
		this.settings.addAll(yard.settings());
		for (Workload workload : workloads) {
			String job = workload.job();
			// Every interruption is brought back by the product itself: launched by
			// hand or not, a lost node or an infrastructure fault is restarted.
			this.settings.addAll(List.of("--batchyard.jobs." + job + ".restart.manual-launches=true",
					"--batchyard.jobs." + job + ".restart.max-attempts=20",
					"--batchyard.jobs." + job + ".restart.backoff=500ms",
					"--batchyard.jobs." + job + ".restart.max-backoff=2s"));
			this.settings.addAll(workload.settings(yard));
		}
	}

	/**
	 * Runs the uninterrupted baseline twice: run 0 gives the expected end state, run 1,
	 * on the now warm node, the duration the trials' moments are drawn from (a cold
	 * node's first run is several times slower), and must leave the same end state.
	 * @param workload the job's workload
	 * @return the expectation and the duration
	 */
	Baseline baseline(Workload workload) {
		long deadline = System.nanoTime() + this.trialTimeout.toNanos();
		ensureNode(deadline);
		Run run = workload.launch(this.node, this.yard, 0);
		awaitComplete(run, deadline);
		EndState expected = workload.endState(this.yard, run);
		deadline = System.nanoTime() + this.trialTimeout.toNanos();
		long start = System.nanoTime();
		Run again = workload.launch(this.node, this.yard, 1);
		awaitComplete(again, deadline);
		Duration duration = Duration.ofNanos(System.nanoTime() - start);
		EndState repeated = workload.endState(this.yard, again);
		if (!repeated.kinds().equals(expected.kinds())) {
			throw new IllegalStateException("Two uninterrupted runs of " + workload.job() + " differ: "
					+ expected.checksums() + " and " + repeated.checksums());
		}
		return new Baseline(expected, duration);
	}

	/**
	 * One trial.
	 * @param workload the job's workload
	 * @param number the run number (1, 2, ...)
	 * @param trialSeed its seed: the fault and the moment follow from it alone
	 * @param baseline the expectation
	 * @return what happened
	 */
	TrialResult trial(Workload workload, int number, long trialSeed, Baseline baseline) {
		SplittableRandom random = new SplittableRandom(trialSeed);
		List<Fault> faults = new ArrayList<>();
		faults.add(Fault.KILL);
		faults.addAll(workload.faults(this.yard));
		// Half the trials kill the node; the rest share the job's other faults.
		Fault fault = (random.nextBoolean() || faults.size() == 1) ? Fault.KILL
				: faults.get(1 + random.nextInt(faults.size() - 1));
		long moment = (long) (random.nextDouble() * baseline.duration().toMillis());
		long deadline = System.nanoTime() + this.trialTimeout.toNanos();
		this.manualRestarts = 0;
		Run run = null;
		try {
			ensureNode(deadline);
			run = workload.launch(this.node, this.yard, number);
			Waits.sleep(Duration.ofMillis(moment));
			long interrupted = System.nanoTime();
			Set<String> committed = Set.of();
			List<String> killedSteps = List.of();
			boolean running = running(run);
			switch (fault) {
				case KILL -> {
					this.node.kill();
					this.node = null;
					// Read after the kill: whatever the run had committed when it died.
					running = running(run);
					committed = workload.committedKeys(this.yard, run);
					killedSteps = stepCounters(run);
					interrupted = System.nanoTime();
					ensureNode(deadline);
				}
				case DATABASE_CONNECTIONS_DROPPED -> this.yard.terminateApplicationConnections();
				case SQS_DOWN -> {
					this.sqsProxy.down();
					try {
						Waits.sleep(FAULT_LENGTH);
					}
					finally {
						this.sqsProxy.up();
					}
				}
			}
			awaitComplete(run, deadline);
			Duration recovery = Duration.ofNanos(System.nanoTime() - interrupted);
			EndState actual = workload.endState(this.yard, run);
			// The killed execution's steps as the recovery left them: it changes their
			// status, never what they counted and committed (issue 17's commit count).
			EndState expected = baseline.state();
			if (!killedSteps.isEmpty()) {
				expected = expected.with(EndState.RECOVERY, killedSteps);
				actual.add(EndState.RECOVERY, stepCounters(killedSteps));
			}
			return TrialResult.compare(workload, number, trialSeed, fault, moment, running, expected, actual, committed,
					recovery, this.manualRestarts);
		}
		catch (RuntimeException ex) {
			// A trial that did not finish: count it, start over on a fresh node.
			if (this.node != null) {
				this.node.close();
				this.node = null;
			}
			this.sqsProxy.up();
			return TrialResult.failed(workload, number, trialSeed, fault, moment,
					ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
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
	private void awaitComplete(Run run, long deadline) {
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
							this.manualRestarts++;
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

}
