package io.batchyard.jobs.enhancement;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of {@code enhancementImportJob} and {@code referenceLoadJob}, under
 * {@code batchyard.jobs.enhancement-import}.
 *
 * @param chunkSize lines per transaction
 * @param maxLineLength the longest line read; a longer one is a report entry, and the
 * reader never holds more than this of one line
 * @param retryLimit retries of a chunk on transient database or storage faults
 * @param backOff the first back-off between retries, doubled each time
 * @param maxBackOff the longest back-off
 * @param gridSize partitions of {@code enhancementImportJob}'s
 * {@code importEnhancementsStep}: 1 reads the result file in one step; more splits it
 * into byte ranges aligned to line starts that run as partitions (locally or on worker
 * nodes, {@code batchyard.partitioning.mode}), and the lines whose outcome depends on
 * earlier lines are decided by line number afterwards, with the same entries, rows and
 * report
 */
@Validated
@ConfigurationProperties("batchyard.jobs.enhancement-import")
public record EnhancementImportProperties(@DefaultValue("1000") @Min(1) int chunkSize,
		@DefaultValue("1MB") @NotNull DataSize maxLineLength, @DefaultValue("3") @Min(0) int retryLimit,
		@DefaultValue("200ms") @NotNull Duration backOff, @DefaultValue("5s") @NotNull Duration maxBackOff,
		@DefaultValue("1") @Min(1) @Max(256) int gridSize) {

}
