package io.batchyard.bench.crash;

import java.util.List;
import java.util.Set;

/**
 * One job's workload in the campaign: the same input for every run, under ids of its own
 * (run 0 is the uninterrupted baseline), and what a run left, normalised so that runs
 * compare.
 */
interface Workload extends AutoCloseable {

	/**
	 * The job's name.
	 * @return the job
	 */
	String job();

	/**
	 * Settings every node of this job gets, beyond the campaign's.
	 * @param yard where the job runs
	 * @return {@code --property=value} settings
	 */
	List<String> settings(Yard yard);

	/**
	 * Prepares run {@code run}'s input (seeded rows, files, stand-in answers): everything
	 * slow, so that the launch itself comes at its planned time.
	 * @param yard where it runs
	 * @param run the run number
	 */
	default void prepare(Yard yard, int run) {
	}

	/**
	 * Launches run {@code run}, prepared, on the node.
	 * @param node the running node
	 * @param yard where it runs
	 * @param run the run number (0: the baseline)
	 * @return the launched instance
	 */
	Run launch(Node node, Yard yard, int run);

	/**
	 * What the run left, normalised.
	 * @param yard where it ran
	 * @param run the run, complete
	 * @return its end state
	 */
	EndState endState(Yard yard, Run run);

	/**
	 * Keys (as the first field of the {@code messages} lines) of the items whose chunk
	 * had committed when the run was interrupted: a duplicate message for one of them was
	 * made by the job, not by the at-least-once window.
	 * @param yard where it runs
	 * @param run the run
	 * @return the keys
	 */
	default Set<String> committedKeys(Yard yard, Run run) {
		return Set.of();
	}

	/**
	 * The faults other than kill -9 this workload can meet.
	 * @param yard where it runs
	 * @return the faults
	 */
	List<Fault> faults(Yard yard);

	/**
	 * How many messages one chunk in flight may send twice.
	 * @return the at-least-once window, in messages
	 */
	default int atLeastOnceWindow() {
		return 0;
	}

	/**
	 * Starts or ends a fault of this workload's own stand-ins (the DLCS storm, the blob
	 * store errors); the campaign holds it for a while between the two calls.
	 * @param fault the fault
	 * @param on whether it starts or ends
	 */
	default void fault(Fault fault, boolean on) {
	}

	@Override
	default void close() {
	}

	/**
	 * A launched instance: its job and the identifying parameter that finds it.
	 *
	 * @param number the run number
	 * @param job the job
	 * @param parameter the identifying parameter's name
	 * @param value its value
	 */
	record Run(int number, String job, String parameter, String value) {

	}

	/** The ways a trial interrupts a run. */
	enum Fault {

		/** SIGKILL of the node running it; a new node is started. */
		KILL,

		/** {@code pg_terminate_backend} of every connection of the application. */
		DATABASE_CONNECTIONS_DROPPED,

		/** The SQS endpoint refuses connections for a while. */
		SQS_DOWN,

		/** The DLCS answers 503 to every call for a while. */
		DLCS_STORM,

		/** The blob store answers 500 to every request for a while. */
		BLOB_STORE_ERRORS

	}

}
