package io.batchyard.jobs.enhancement;

import java.util.UUID;

/**
 * A valid enhancement of a reference, ready to store.
 *
 * @param id a name-based UUID of the reference and the fingerprint: exact duplicates
 * share it
 * @param referenceId the reference
 * @param enhancementType the content's {@code enhancement_type}
 * @param source the source
 * @param visibility {@code public}, {@code restricted} or {@code hidden}
 * @param robotVersion the robot's version, or {@code null}
 * @param derivedFrom a JSON array of enhancement ids, or {@code null}
 * @param content the content object, canonical JSON (sorted keys)
 * @param fingerprint SHA-256 (hex) of the canonical JSON of every field but the id
 */
public record Enhancement(UUID id, UUID referenceId, String enhancementType, String source, String visibility,
		String robotVersion, String derivedFrom, String content, String fingerprint) {

}
