package io.batchyard.jobs.enhancement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Validates one chunk of result entries, in file order, against what the database knows:
 * which references the batch requested and which of them an earlier line already named,
 * and which enhancements exist. Rules, in order: a line that could not be parsed; a
 * reference not in the batch; a reference already named; a robot error; an enhancement
 * (added, or discarded as an exact duplicate). No state outside its arguments: the
 * "already named" set lives in the database (the validation entries of earlier chunks),
 * so a chunk replayed after a rollback, or a restarted step, gets the same answers.
 */
public final class ChunkValidation {

	private ChunkValidation() {
	}

	/**
	 * Validates a chunk.
	 * @param entries the chunk's entries, in file order
	 * @param firstNamed for each requested reference of the batch met in the chunk, the
	 * number of the line that first named it (an added, robot error or discarded entry),
	 * or {@code null}; a reference absent from the map is not in the batch
	 * @param existing the ids of the chunk's enhancements that already exist
	 * @return what to write
	 */
	public static Result validate(List<? extends ResultEntry> entries, Map<UUID, Long> firstNamed, Set<UUID> existing) {
		List<Entry> report = new ArrayList<>(entries.size());
		List<Enhancement> added = new ArrayList<>();
		Set<UUID> namedHere = new HashSet<>();
		Set<UUID> addedHere = new HashSet<>();
		for (ResultEntry entry : entries) {
			long n = entry.entryNumber();
			if (entry instanceof ResultEntry.Unparseable unparseable) {
				report.add(new Entry(n, null, EntryOutcome.PARSE_FAILURE, unparseable.message()));
				continue;
			}
			UUID reference = (entry instanceof ResultEntry.RobotError error) ? error.referenceId()
					: ((ResultEntry.Added) entry).enhancement().referenceId();
			if (!firstNamed.containsKey(reference)) {
				report.add(new Entry(n, reference, EntryOutcome.NOT_IN_BATCH, ValidationMessages.NOT_IN_BATCH));
				continue;
			}
			Long earlier = firstNamed.get(reference);
			if ((earlier != null && earlier != n) || !namedHere.add(reference)) {
				report.add(new Entry(n, reference, EntryOutcome.DUPLICATE, ValidationMessages.DUPLICATE_REFERENCE));
				continue;
			}
			if (entry instanceof ResultEntry.RobotError error) {
				report.add(new Entry(n, reference, EntryOutcome.ROBOT_ERROR, error.message()));
				continue;
			}
			Enhancement enhancement = ((ResultEntry.Added) entry).enhancement();
			if (existing.contains(enhancement.id()) || !addedHere.add(enhancement.id())) {
				report.add(new Entry(n, reference, EntryOutcome.DISCARDED, ValidationMessages.EXACT_DUPLICATE));
				continue;
			}
			added.add(enhancement);
			report.add(new Entry(n, reference, EntryOutcome.ADDED, null));
		}
		return new Result(report, added);
	}

	/**
	 * What a chunk writes.
	 *
	 * @param entries the validation entries
	 * @param added the enhancements to insert
	 */
	public record Result(List<Entry> entries, List<Enhancement> added) {

	}

	/**
	 * A validation entry.
	 *
	 * @param entryNumber the entry number
	 * @param referenceId the reference, or {@code null} for a line that could not be
	 * parsed
	 * @param outcome what the line was
	 * @param error the error, or {@code null} for an enhancement added
	 */
	public record Entry(long entryNumber, UUID referenceId, EntryOutcome outcome, String error) {

	}

}
