package io.batchyard.jobs.enhancement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkValidationTests {

	static final UUID A = UUID.fromString("10000000-0000-0000-0000-00000000000a");

	static final UUID B = UUID.fromString("10000000-0000-0000-0000-00000000000b");

	static Enhancement enhancement(UUID reference, String id) {
		return new Enhancement(UUID.nameUUIDFromBytes(id.getBytes()), reference, "raw", "s", "public", null, null, "{}",
				id);
	}

	@Test
	void aReferenceNamedByAnEarlierChunkIsADuplicateButItsOwnLineIsNot() {
		Map<UUID, Long> named = new HashMap<>();
		named.put(A, 2L);
		named.put(B, null);
		ChunkValidation.Result replay = ChunkValidation.validate(
				List.of(new ResultEntry.Added(2, enhancement(A, "x")), new ResultEntry.RobotError(5, B, "boom"),
						new ResultEntry.RobotError(6, B, "again"), new ResultEntry.Added(7, enhancement(A, "y"))),
				named, Set.of());
		assertThat(replay.entries()).containsExactly(new ChunkValidation.Entry(2, A, EntryOutcome.ADDED, null),
				new ChunkValidation.Entry(5, B, EntryOutcome.ROBOT_ERROR, "boom"),
				new ChunkValidation.Entry(6, B, EntryOutcome.DUPLICATE, ValidationMessages.DUPLICATE_REFERENCE),
				new ChunkValidation.Entry(7, A, EntryOutcome.DUPLICATE, ValidationMessages.DUPLICATE_REFERENCE));
		assertThat(replay.added()).extracting(Enhancement::fingerprint).containsExactly("x");
	}

	@Test
	void anExistingEnhancementIsDiscardedAndAnUnknownReferenceIsNotInTheBatch() {
		Map<UUID, Long> named = new HashMap<>();
		named.put(A, null);
		Enhancement existing = enhancement(A, "x");
		ChunkValidation.Result result = ChunkValidation.validate(List.of(new ResultEntry.Unparseable(1, "bad"),
				new ResultEntry.Added(2, enhancement(B, "z")), new ResultEntry.Added(3, existing)), named,
				Set.of(existing.id()));
		assertThat(result.entries()).containsExactly(
				new ChunkValidation.Entry(1, null, EntryOutcome.PARSE_FAILURE, "Entry 1 could not be parsed: bad."),
				new ChunkValidation.Entry(2, B, EntryOutcome.NOT_IN_BATCH, ValidationMessages.NOT_IN_BATCH),
				new ChunkValidation.Entry(3, A, EntryOutcome.DISCARDED, ValidationMessages.EXACT_DUPLICATE));
		assertThat(result.added()).isEmpty();
	}

}
