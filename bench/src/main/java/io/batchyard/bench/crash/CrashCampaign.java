package io.batchyard.bench.crash;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.function.Function;

import io.batchyard.bench.crash.Campaign.Baseline;
import io.batchyard.bench.crash.Campaign.Planned;
import io.batchyard.test.ElasticMqServer;
import io.batchyard.test.EmbeddedPostgresServer;

/**
 * The crash campaign (issue 17): for each job with a real workload, the end state of one
 * uninterrupted run, then {@code trials} runs of the same input each interrupted at a
 * random moment (uniform over the baseline's duration) by kill -9 of its node or a fault
 * (PostgreSQL connections dropped; for 3 s the SQS endpoint down, the DLCS answering 503
 * or the blob store answering 500), brought back by the product (heartbeat recovery and
 * the automatic restart policy; the API's restart only where no automatic restart comes),
 * and compared with the baseline. The trials of different jobs that drew the same fault
 * run side by side and share it. Prints a table per job and database. Each baseline pass
 * and each group of trials is bounded by {@code trialTimeout}, so the whole campaign ends
 * within {@code (2 + trials × min(3, jobs)) × trialTimeout}.
 * <p>
 * Arguments ({@code key=value}, any order): {@code jobs=all|referenceLoadJob,...}
 * ({@value #ALL_JOBS}), {@code trials=20}, {@code db=h2|postgresql}, {@code seed=<long>}
 * (default: the time), {@code trialSeeds=<job>:<seed>,...} (replay those trials only),
 * {@code trialTimeout=180s}, {@code jar=launcher/target/batchyard.jar},
 * {@code work=<directory>} (default: a new temporary one). Run from the repository root:
 * <pre>
 * ./mvnw -B -q -pl launcher,bench -am package -DskipTests
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.batchyard.bench.crash.CrashCampaign trials=5 db=h2
 * </pre>
 */
public final class CrashCampaign {

	static final String ALL_JOBS = "referenceLoadJob,repositoryPurgeJob,imageIngestJob,postingestSweepJob,postingestResendJob,manifestUpdateJob,enhancementImportJob";

	private CrashCampaign() {
	}

	public static void main(String[] args) {
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("CrashCampaign: " + ex.getMessage());
			System.err.println(Options.USAGE);
			System.exit(2);
			return;
		}
		List<TrialResult> results = run(options, System.out);
		System.exit(results.stream().allMatch(TrialResult::exact) ? 0 : 1);
	}

	/**
	 * Runs the campaign.
	 * @param options what to run
	 * @param out where the progress and the table go
	 * @return every trial's result
	 */
	public static List<TrialResult> run(Options options, PrintStream out) {
		// Two baseline passes, then per round at most three groups (stand-in faults, the
		// connection drop, the kill), each bounded by trialTimeout.
		int rounds = options.trialSeeds().isEmpty() ? options.trials()
				: options.trialSeeds().values().stream().mapToInt(List::size).max().orElse(0);
		Duration bound = options.trialTimeout().multipliedBy(2L + (long) rounds * Math.min(3, options.jobs().size()));
		out.printf(Locale.ROOT,
				"Crash campaign: jobs=%s trials=%d db=%s seed=%d; each trial bounded by %ss,"
						+ " the campaign by %ss%n",
				String.join(",", options.jobs()), options.trials(), options.db(), options.seed(),
				options.trialTimeout().toSeconds(), bound.toSeconds());
		List<TrialResult> results = new ArrayList<>();
		Path directory;
		try {
			directory = Files.createDirectories(options.work().resolve(options.db()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Yard yard = options.db().equals("postgresql")
				? Yard.postgresql(directory, EmbeddedPostgresServer.newDatabaseUrl()) : Yard.h2(directory);
		Path log = options.work().resolve("logs").resolve(options.db() + ".log");
		List<Workload> workloads = new ArrayList<>();
		try (FaultProxy sqsProxy = new FaultProxy(ImageIngestWorkload.port(ElasticMqServer.endpoint()))) {
			try {
				workloads.addAll(workloads(options.jobs()));
				Campaign campaign = new Campaign(options.jar(), workloads, yard, sqsProxy, options.trialTimeout(), log);
				try {
					results.addAll(runAll(campaign, workloads, options, log, out));
				}
				finally {
					campaign.close();
				}
			}
			finally {
				workloads.forEach(Workload::close);
			}
		}
		printTable(options, results, out);
		return results;
	}

	/**
	 * The baselines, then round after round the next trial of every job, grouped by
	 * fault: the trials of a round that drew the same fault share its one interruption.
	 */
	private static List<TrialResult> runAll(Campaign campaign, List<Workload> workloads, Options options, Path log,
			PrintStream out) {
		List<TrialResult> results = new ArrayList<>();
		Map<String, Baseline> baselines = new LinkedHashMap<>();
		campaign.baselines(workloads).forEach((job, outcome) -> {
			if (outcome instanceof Baseline baseline) {
				baselines.put(job, baseline);
				out.printf(Locale.ROOT, "%s on %s: uninterrupted run %.1fs (warm), expected %s%n", job, options.db(),
						baseline.duration().toMillis() / 1000.0, baseline.state().checksums());
			}
			else {
				String message = ((RuntimeException) outcome).getMessage();
				out.printf("%s on %s: the uninterrupted baseline did not complete (%s); see %s%n", job, options.db(),
						message, log);
				Workload workload = workloads.stream()
					.filter((each) -> each.job().equals(job))
					.findFirst()
					.orElseThrow();
				results.add(TrialResult.failed(workload, 0, options.seed(), Workload.Fault.KILL, 0,
						"baseline: " + message));
			}
		});
		Map<String, List<Long>> seeds = new LinkedHashMap<>();
		for (Workload workload : workloads) {
			String job = workload.job();
			if (!baselines.containsKey(job)) {
				continue;
			}
			List<Long> replay = options.trialSeeds().get(job);
			if (replay != null) {
				seeds.put(job, replay);
				continue;
			}
			SplittableRandom random = new SplittableRandom(options.seed() ^ job.hashCode());
			List<Long> drawn = new ArrayList<>();
			for (int trial = 1; trial <= options.trials(); trial++) {
				drawn.add(random.nextLong());
			}
			seeds.put(job, drawn);
		}
		int rounds = seeds.values().stream().mapToInt(List::size).max().orElse(0);
		for (int trial = 1; trial <= rounds; trial++) {
			// The stand-ins' faults together, then the connection drop, the kill last:
			// its
			// new node serves the next round.
			Map<Integer, List<Planned>> groups = new TreeMap<>();
			for (Workload workload : workloads) {
				List<Long> jobSeeds = seeds.get(workload.job());
				if (jobSeeds == null || jobSeeds.size() < trial) {
					continue;
				}
				// Runs 0 and 1 are the baselines.
				Planned planned = campaign.plan(workload, trial + 1, jobSeeds.get(trial - 1),
						baselines.get(workload.job()));
				int order = switch (planned.fault()) {
					case KILL -> 2;
					case DATABASE_CONNECTIONS_DROPPED -> 1;
					default -> 0;
				};
				groups.computeIfAbsent(order, (key) -> new ArrayList<>()).add(planned);
			}
			for (List<Planned> group : groups.values()) {
				List<TrialResult> groupResults = campaign.group(group);
				for (TrialResult result : groupResults) {
					results.add(result);
					out.printf(Locale.ROOT, "  %s trial %d seed %d: %s at %d ms%s -> %s%s%n", result.job(), trial,
							result.seed(), result.fault(), result.momentMillis(),
							(result.hit() || result.recovery() == null) ? "" : " (after the run ended)",
							result.exact() ? "exact" : "NOT EXACT", result.differences().isEmpty() ? ""
									: " (" + result.differences() + ")" + (result.exact() ? "" : " see " + log));
				}
			}
		}
		return results;
	}

	/**
	 * The jobs' workloads, in order, built side by side: each starts its stand-ins
	 * (DynamoDB Local, S3Proxy, WireMock, the image server), seconds apiece on a busy
	 * machine, all before the first node can start.
	 */
	private static List<Workload> workloads(List<String> jobs) {
		ExecutorService executor = Executors.newFixedThreadPool(jobs.size());
		List<Future<Workload>> futures = new ArrayList<>();
		try {
			for (String job : jobs) {
				futures.add(executor.submit(() -> workload(job)));
			}
			List<Workload> workloads = new ArrayList<>();
			RuntimeException failure = null;
			for (Future<Workload> future : futures) {
				try {
					workloads.add(future.get());
				}
				catch (ExecutionException ex) {
					failure = (ex.getCause() instanceof RuntimeException runtime) ? runtime
							: new IllegalStateException(ex.getCause());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					failure = new IllegalStateException(ex);
				}
			}
			if (failure != null) {
				workloads.forEach(Workload::close);
				throw failure;
			}
			return workloads;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static Workload workload(String job) {
		return switch (job) {
			case ReferenceLoadWorkload.JOB -> new ReferenceLoadWorkload();
			case PurgeWorkload.JOB -> new PurgeWorkload();
			case ImageIngestWorkload.JOB -> new ImageIngestWorkload();
			case PostingestSweepWorkload.JOB -> new PostingestSweepWorkload();
			case PostingestResendWorkload.JOB -> new PostingestResendWorkload();
			case ManifestUpdateWorkload.JOB -> new ManifestUpdateWorkload();
			case EnhancementImportWorkload.JOB -> new EnhancementImportWorkload();
			default -> throw new IllegalArgumentException(
					"No crash workload for job " + job + "; the campaign covers " + ALL_JOBS);
		};
	}

	private static void printTable(Options options, List<TrialResult> results, PrintStream out) {
		out.println();
		out.printf("| Job | DB | Trials (mid-run) | Exact | Rows lost | Rows duplicated | Messages duplicated"
				+ " (at-least-once) | Messages duplicated (by the job) | Mean interruption → completion"
				+ " | API restarts | Seeds not exact |%n");
		out.println("|---|---|---|---|---|---|---|---|---|---|---|");
		Map<String, List<TrialResult>> byJob = new LinkedHashMap<>();
		options.jobs().forEach((job) -> byJob.put(job, new ArrayList<>()));
		results.forEach((result) -> byJob.computeIfAbsent(result.job(), (key) -> new ArrayList<>()).add(result));
		byJob.forEach((job, trials) -> {
			List<TrialResult> real = trials.stream().filter((trial) -> trial.run() > 0).toList();
			double mean = real.stream()
				.map(TrialResult::recovery)
				.filter(Objects::nonNull)
				.mapToLong(Duration::toMillis)
				.average()
				.orElse(Double.NaN) / 1000.0;
			List<String> seeds = trials.stream()
				.filter((trial) -> !trial.exact())
				.map((trial) -> (trial.run() == 0) ? "baseline" : Long.toString(trial.seed()))
				.toList();
			out.printf(Locale.ROOT, "| %s | %s | %d (%d) | %d | %d | %d | %d | %d | %.1f s | %d | %s |%n", job,
					options.db(), real.size(), real.stream().filter(TrialResult::hit).count(),
					real.stream().filter(TrialResult::exact).count(), sum(real, TrialResult::rowsLost),
					sum(real, TrialResult::rowsDuplicated), sum(real, TrialResult::atLeastOnceDuplicates),
					sum(real, TrialResult::jobDuplicates), mean, sum(real, TrialResult::manualRestarts),
					seeds.isEmpty() ? "—" : String.join(" ", seeds));
		});
	}

	private static int sum(List<TrialResult> results, Function<TrialResult, Integer> value) {
		return results.stream().mapToInt(value::apply).sum();
	}

	/**
	 * The campaign's arguments.
	 *
	 * @param jobs the jobs, in order
	 * @param trials trials per job
	 * @param db {@code h2} or {@code postgresql}
	 * @param seed the campaign's seed
	 * @param trialSeeds trials to replay, by job
	 * @param trialTimeout the bound of one trial (and of the baseline)
	 * @param jar the application jar
	 * @param work where the working directories and logs go
	 */
	public record Options(List<String> jobs, int trials, String db, long seed, Map<String, List<Long>> trialSeeds,
			Duration trialTimeout, Path jar, Path work) {

		static final String USAGE = "Usage: CrashCampaign [jobs=all|<job>,...] [trials=20] [db=h2|postgresql]"
				+ " [seed=<long>] [trialSeeds=<job>:<seed>,...] [trialTimeout=180s] [jar=<application jar>]"
				+ " [work=<directory>]";

		public Options {
			if (trials < 1 || trials > 10_000) {
				throw new IllegalArgumentException("trials must be between 1 and 10000, not " + trials);
			}
			if (!db.equals("h2") && !db.equals("postgresql")) {
				throw new IllegalArgumentException("db must be h2 or postgresql, not " + db);
			}
			if (!Files.isRegularFile(jar)) {
				throw new IllegalArgumentException("No application jar at " + jar.toAbsolutePath()
						+ " (build it: ./mvnw -B -q -pl launcher -am package -DskipTests)");
			}
			for (String job : jobs) {
				if (!List.of(ALL_JOBS.split(",")).contains(job)) {
					throw new IllegalArgumentException(
							"No crash workload for job " + job + "; the campaign covers " + ALL_JOBS);
				}
			}
			if (trialTimeout.isNegative() || trialTimeout.isZero()) {
				throw new IllegalArgumentException("trialTimeout must be positive, not " + trialTimeout);
			}
			// Created once the arguments are known to be good: a refused run leaves
			// nothing.
			try {
				work = (work != null) ? Files.createDirectories(work.toAbsolutePath())
						: Files.createTempDirectory("batchyard-crash-campaign-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * Parses {@code key=value} arguments.
		 * @param args the arguments
		 * @return the options
		 */
		public static Options parse(String... args) {
			Map<String, String> values = new LinkedHashMap<>();
			for (String arg : args) {
				int equals = arg.indexOf('=');
				if (equals < 1) {
					throw new IllegalArgumentException("Arguments are key=value, not " + arg);
				}
				values.put(arg.substring(0, equals), arg.substring(equals + 1));
			}
			Map<String, List<Long>> trialSeeds = new LinkedHashMap<>();
			String replay = values.remove("trialSeeds");
			if (replay != null) {
				for (String each : replay.split(",")) {
					String[] parts = each.split(":");
					if (parts.length != 2 || parts[0].isBlank()) {
						throw new IllegalArgumentException("trialSeeds are <job>:<seed>, not " + each);
					}
					trialSeeds.computeIfAbsent(parts[0], (key) -> new ArrayList<>())
						.add(number("trialSeeds", parts[1]));
				}
			}
			String jobs = values.remove("jobs");
			List<String> jobList = (jobs == null || jobs.equals("all"))
					? ((trialSeeds.isEmpty()) ? List.of(ALL_JOBS.split(",")) : List.copyOf(trialSeeds.keySet()))
					: List.of(jobs.split(","));
			String trialsValue = values.getOrDefault("trials", "20");
			int trials;
			try {
				trials = Integer.parseInt(trialsValue.trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("trials must be a whole number, not " + trialsValue);
			}
			values.remove("trials");
			String db = values.getOrDefault("db", "h2");
			values.remove("db");
			String seedValue = values.remove("seed");
			long seed = (seedValue != null) ? number("seed", seedValue) : System.currentTimeMillis();
			String timeout = values.getOrDefault("trialTimeout", "180s");
			values.remove("trialTimeout");
			Duration trialTimeout;
			try {
				trialTimeout = Duration.parse("PT" + timeout.toUpperCase(Locale.ROOT));
			}
			catch (DateTimeParseException ex) {
				throw new IllegalArgumentException("trialTimeout is a duration such as 90s or 3m, not " + timeout);
			}
			Path jar = Path.of(values.getOrDefault("jar", "launcher/target/batchyard.jar")).toAbsolutePath();
			values.remove("jar");
			String work = values.remove("work");
			if (!values.isEmpty()) {
				throw new IllegalArgumentException("Unknown argument(s): " + values.keySet());
			}
			return new Options(jobList, trials, db, seed, trialSeeds, trialTimeout, jar,
					(work != null) ? Path.of(work) : null);
		}

		private static long number(String name, String value) {
			try {
				return Long.parseLong(value.trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(name + " must be a whole number, not " + value);
			}
		}

	}

}
