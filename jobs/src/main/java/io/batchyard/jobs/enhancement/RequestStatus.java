package io.batchyard.jobs.enhancement;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code EnhancementRequestStatus}, and the projection of a set of pending-enhancement
 * statuses onto it (DESTINY, seed 003 / HEAD). The same projection gives a robot
 * enhancement batch its status.
 */
public enum RequestStatus {

	RECEIVED, ACCEPTED, PROCESSING, REJECTED, PARTIAL_FAILED, FAILED, IMPORTING, INDEXING, INDEXING_FAILED, COMPLETED;

	private static final Set<PendingStatus> IN_FLIGHT = EnumSet.of(PendingStatus.PENDING, PendingStatus.PROCESSING,
			PendingStatus.IMPORTING, PendingStatus.INDEXING);

	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static RequestStatus of(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

	/**
	 * Projects pending-enhancement statuses onto a request status: {@code EXPIRED} rows
	 * are ignored; all pending → received; any in flight → processing; only completed →
	 * completed; only failed → failed; any other mix of terminal states → partial_failed;
	 * no rows → the stored status.
	 * @param statuses the statuses of the request's pending enhancements
	 * @param stored the stored status
	 * @return the status
	 */
	public static RequestStatus project(Collection<PendingStatus> statuses, RequestStatus stored) {
		EnumSet<PendingStatus> present = EnumSet.noneOf(PendingStatus.class);
		statuses.stream().filter((status) -> status != PendingStatus.EXPIRED).forEach(present::add);
		if (present.isEmpty()) {
			return stored;
		}
		if (present.equals(EnumSet.of(PendingStatus.PENDING))) {
			return RECEIVED;
		}
		if (present.stream().anyMatch(IN_FLIGHT::contains)) {
			return PROCESSING;
		}
		if (present.equals(EnumSet.of(PendingStatus.COMPLETED))) {
			return COMPLETED;
		}
		if (present.equals(EnumSet.of(PendingStatus.FAILED))) {
			return FAILED;
		}
		return PARTIAL_FAILED;
	}

}
