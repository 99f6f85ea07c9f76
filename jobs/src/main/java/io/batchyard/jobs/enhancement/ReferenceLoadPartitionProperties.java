package io.batchyard.jobs.enhancement;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The partitioning of {@code referenceLoadJob}, under
 * {@code batchyard.jobs.reference-load} (chunk size, line length and retries are those of
 * {@code batchyard.jobs.enhancement-import}).
 *
 * @param gridSize partitions of {@code loadReferencesStep}: 1 reads the file in one step
 * as before; more splits it into byte ranges aligned to line starts that run as
 * partitions (locally or on worker nodes, {@code batchyard.partitioning.mode}), with the
 * same end state
 */
@Validated
@ConfigurationProperties("batchyard.jobs.reference-load")
public record ReferenceLoadPartitionProperties(@DefaultValue("1") @Min(1) @Max(256) int gridSize) {

}
