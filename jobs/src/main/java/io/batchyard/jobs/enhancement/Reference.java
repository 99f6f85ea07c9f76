package io.batchyard.jobs.enhancement;

import java.util.List;
import java.util.UUID;

/**
 * A valid {@code Reference} of a reference file.
 *
 * @param id the reference id
 * @param visibility {@code public}, {@code restricted} or {@code hidden}
 * @param identifiers the JSON array of its external identifiers, or {@code null}
 * @param enhancements the enhancements it comes with
 * @param line the number of the file's line it was read from
 */
public record Reference(UUID id, String visibility, String identifiers, List<Enhancement> enhancements, long line) {

}
