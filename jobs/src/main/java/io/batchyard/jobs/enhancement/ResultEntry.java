package io.batchyard.jobs.enhancement;

import java.util.UUID;

/**
 * One non-blank line of a robot's result file, parsed: an {@link Enhancement}, a
 * {@code LinkedRobotError}, or a line that could not be parsed.
 */
public sealed interface ResultEntry {

	/**
	 * The line number, which is also the entry's number in the validation report.
	 * @return the line number, from 1
	 */
	long entryNumber();

	/**
	 * A line that is not a valid {@code Enhancement} or {@code LinkedRobotError}.
	 *
	 * @param entryNumber the line number
	 * @param problem what is wrong, naming the field
	 */
	record Unparseable(long entryNumber, String problem) implements ResultEntry {

		/**
		 * The validation message: {@code Entry {n} could not be parsed: {problem}.}
		 * @return the message
		 */
		public String message() {
			return "Entry " + this.entryNumber + " could not be parsed: " + this.problem + ".";
		}

	}

	/**
	 * A {@code LinkedRobotError}: the robot could not enhance one reference.
	 *
	 * @param entryNumber the line number
	 * @param referenceId the reference
	 * @param message the robot's message
	 */
	record RobotError(long entryNumber, UUID referenceId, String message) implements ResultEntry {

	}

	/**
	 * An {@code Enhancement}.
	 *
	 * @param entryNumber the line number
	 * @param enhancement the enhancement
	 */
	record Added(long entryNumber, Enhancement enhancement) implements ResultEntry {

	}

}
