package io.batchyard.jobs.partition;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepLocator;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.integration.partition.RemotePartitioningManagerStepBuilder;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.messaging.MessageChannel;

/**
 * Builds the manager steps of partitioned steps for the configured mode, and knows the
 * worker steps that a partition request may name.
 * <p>
 * A job configuration registers its worker step with {@link #worker(Step)} (always, so
 * that a worker node knows it whatever its own grid size) and builds its manager with
 * {@link #partitioned}. In local mode the partitions run on a thread per partition, at
 * most {@code local-threads} at once. In remote mode the manager is Spring Batch
 * Integration's {@link RemotePartitioningManagerStepBuilder} in job-repository polling
 * mode: it sends one {@code StepExecutionRequest} per partition to the request channel
 * and reads the repository until none of its partitions runs any more; workers run them
 * through {@link PartitionWorker}.
 */
public class PartitionSteps implements StepLocator {

	/** The bean name of the channel that carries partition requests in remote mode. */
	public static final String REQUESTS_CHANNEL = "partitionRequests";

	private final JobRepository jobRepository;

	private final PartitioningProperties properties;

	private final MessageChannel requests;

	private final TaskExecutor localExecutor;

	private final Map<String, Step> workers = new ConcurrentHashMap<>();

	/**
	 * @param jobRepository the job repository
	 * @param properties the partitioning settings
	 * @param requests where a remote manager sends its requests; {@code null} in local
	 * mode
	 */
	public PartitionSteps(JobRepository jobRepository, PartitioningProperties properties, MessageChannel requests) {
		if (properties.mode() == PartitioningProperties.Mode.REMOTE && requests == null) {
			throw new IllegalStateException("batchyard.partitioning.mode=remote needs a transport for partition"
					+ " requests: a MessageChannel bean named '" + REQUESTS_CHANNEL
					+ "' (the launcher declares it over SQS)");
		}
		this.jobRepository = jobRepository;
		this.properties = properties;
		this.requests = requests;
		// A thread per partition, not a pool: nothing to shut down before the job
		// threads that wait on them, and at most local-threads of them at a time.
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("batch-partition-");
		executor.setConcurrencyLimit(properties.localThreads());
		this.localExecutor = executor;
	}

	/**
	 * Registers a step that partitions run: the steps a worker accepts requests for. A
	 * failed partition stores its exception and causes for the job's exit description
	 * ({@link PartitionFailureListener}): on a worker node the exception stays there.
	 * @param step the worker step
	 * @return the same step
	 */
	public Step worker(Step step) {
		return worker(step, PartitionFailureListener::causes);
	}

	/**
	 * Registers a step that partitions run, its failures described the job's own way.
	 * @param step the worker step
	 * @param describeFailure what a failed partition stores about its failure
	 * @return the same step
	 */
	public Step worker(Step step, Function<Throwable, String> describeFailure) {
		Step previous = this.workers.putIfAbsent(step.getName(), step);
		if (previous == null) {
			listening(step, PartitionFailureListener.recording(describeFailure));
		}
		else if (previous != step) {
			throw new IllegalStateException("Two partition worker steps are named '" + step.getName() + "'");
		}
		return step;
	}

	/**
	 * The manager step of a partitioned step.
	 * @param name the manager step's name
	 * @param worker the step each partition runs, registered with {@link #worker(Step)}
	 * @param partitioner splits the work; its partition names must not depend on the data
	 * (a restart looks the partitions up by name)
	 * @param gridSize how many partitions
	 * @return the manager step
	 */
	public Step partitioned(String name, Step worker, Partitioner partitioner, int gridSize) {
		if (this.workers.get(worker.getName()) != worker) {
			throw new IllegalStateException("Register '" + worker.getName() + "' with worker(Step) first");
		}
		if (gridSize < 1) {
			throw new IllegalArgumentException("The grid size of " + name + " must be positive, not " + gridSize);
		}
		// No grid size recorded here: the splitter keeps this one in the manager's
		// context
		// (GridSizeCheck reads it there).
		if (this.properties.mode() == PartitioningProperties.Mode.LOCAL) {
			return new StepBuilder(name, this.jobRepository).partitioner(worker.getName(), partitioner)
				.step(worker)
				.gridSize(gridSize)
				.taskExecutor(this.localExecutor)
				.build();
		}
		return new RemotePartitioningManagerStepBuilder(name, this.jobRepository)
			.partitioner(worker.getName(), partitioner)
			.gridSize(gridSize)
			.outputChannel(this.requests)
			.pollInterval(this.properties.pollInterval().toMillis())
			.timeout((this.properties.timeout() != null) ? this.properties.timeout().toMillis() : -1)
			.build();
	}

	/**
	 * The step a job runs instead of a partitioned one when its grid size is 1: the same
	 * step, recording that it ran unpartitioned (see {@link GridSizeCheck}).
	 * @param step the step over the whole input
	 * @return the same step
	 */
	public Step unpartitioned(Step step) {
		return listening(step, GridSizeCheck.unpartitioned());
	}

	/**
	 * The job listener that refuses to restart a step under the other shape (partitioned
	 * or not) than it ran with.
	 * @param stepName the step's name
	 * @param gridSize this node's grid size for it
	 * @param property the setting of that grid size
	 * @return the listener
	 */
	public GridSizeCheck gridSizeCheck(String stepName, int gridSize, String property) {
		return new GridSizeCheck(this.jobRepository, stepName, gridSize, property);
	}

	private static Step listening(Step step, StepExecutionListener listener) {
		if (!(step instanceof AbstractStep abstractStep)) {
			throw new IllegalArgumentException("Step '" + step.getName() + "' is a " + step.getClass().getName()
					+ ", not an AbstractStep: it cannot take the listener partitioning needs");
		}
		abstractStep.registerStepExecutionListener(listener);
		return step;
	}

	/**
	 * The mode partitioned steps run in.
	 * @return the mode
	 */
	public PartitioningProperties.Mode mode() {
		return this.properties.mode();
	}

	/**
	 * The names of the registered worker steps.
	 * @return the names
	 */
	public Collection<String> workerStepNames() {
		return List.copyOf(this.workers.keySet());
	}

	/**
	 * A registered worker step.
	 * @param stepName its name
	 * @return the step, or {@code null} if no worker step has that name
	 */
	@Override
	public Step getStep(String stepName) {
		return this.workers.get(stepName);
	}

}
