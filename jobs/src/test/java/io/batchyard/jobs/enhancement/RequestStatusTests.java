package io.batchyard.jobs.enhancement;

import java.util.List;

import org.junit.jupiter.api.Test;

import static io.batchyard.jobs.enhancement.PendingStatus.COMPLETED;
import static io.batchyard.jobs.enhancement.PendingStatus.DISCARDED;
import static io.batchyard.jobs.enhancement.PendingStatus.EXPIRED;
import static io.batchyard.jobs.enhancement.PendingStatus.FAILED;
import static io.batchyard.jobs.enhancement.PendingStatus.IMPORTING;
import static io.batchyard.jobs.enhancement.PendingStatus.PENDING;
import static io.batchyard.jobs.enhancement.PendingStatus.PROCESSING;
import static org.assertj.core.api.Assertions.assertThat;

class RequestStatusTests {

	@Test
	void projectionFollowsTheSpecRules() {
		assertThat(RequestStatus.project(List.of(PENDING, PENDING), RequestStatus.RECEIVED))
			.isEqualTo(RequestStatus.RECEIVED);
		assertThat(RequestStatus.project(List.of(PENDING, COMPLETED), RequestStatus.RECEIVED))
			.isEqualTo(RequestStatus.PROCESSING);
		assertThat(RequestStatus.project(List.of(PROCESSING, FAILED), RequestStatus.RECEIVED))
			.isEqualTo(RequestStatus.PROCESSING);
		assertThat(RequestStatus.project(List.of(IMPORTING), RequestStatus.RECEIVED))
			.isEqualTo(RequestStatus.PROCESSING);
		assertThat(RequestStatus.project(List.of(COMPLETED, EXPIRED), RequestStatus.RECEIVED))
			.isEqualTo(RequestStatus.COMPLETED);
		assertThat(RequestStatus.project(List.of(FAILED, FAILED), RequestStatus.RECEIVED))
			.isEqualTo(RequestStatus.FAILED);
		assertThat(RequestStatus.project(List.of(COMPLETED, FAILED), RequestStatus.RECEIVED))
			.isEqualTo(RequestStatus.PARTIAL_FAILED);
		assertThat(RequestStatus.project(List.of(DISCARDED), RequestStatus.RECEIVED))
			.isEqualTo(RequestStatus.PARTIAL_FAILED);
		assertThat(RequestStatus.project(List.of(EXPIRED), RequestStatus.REJECTED)).isEqualTo(RequestStatus.REJECTED);
		assertThat(RequestStatus.project(List.of(), RequestStatus.ACCEPTED)).isEqualTo(RequestStatus.ACCEPTED);
	}

}
