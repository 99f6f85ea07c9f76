package io.batchyard.jobs.enhancement;

import java.nio.file.Path;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of {@code referenceLoadJob}, under {@code batchyard.jobs.reference-load}
 * (chunk size, line length and retries are those of
 * {@code batchyard.jobs.enhancement-import}).
 *
 * @param allowedDirectories the only directories a {@code file:} input may name (after
 * {@code ..} and symbolic links are resolved); none by default, so {@code file:} inputs
 * are refused unless a deployment lists where its reference files live. The embedded
 * default lists {@code sample-data/enhancements}.
 * @param gridSize partitions of {@code loadReferencesStep}: 1 reads the file in one step;
 * more splits it into byte ranges aligned to line starts that run as partitions (locally
 * or on worker nodes, {@code batchyard.partitioning.mode}), with the same end state
 */
@Validated
@ConfigurationProperties("batchyard.jobs.reference-load")
public record ReferenceLoadProperties(@DefaultValue @NotNull List<Path> allowedDirectories,
		@DefaultValue("1") @Min(1) @Max(256) int gridSize) {

	/**
	 * The allow-list of this configuration.
	 * @return the allowed reference files
	 */
	public ReferenceFiles referenceFiles() {
		return new ReferenceFiles(this.allowedDirectories);
	}

}
