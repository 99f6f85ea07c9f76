package io.batchyard.jobs.housekeeping;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of {@code repositoryPurgeJob}.
 *
 * @param retention how long job-repository metadata is kept after an execution ended
 * @param chunkSize job executions deleted per transaction
 * @param chunkPause a pause before each chunk, to spread the purge's load on a busy
 * production database ({@code 0s}: none)
 */
@Validated
@ConfigurationProperties("batchyard.housekeeping")
public record HousekeepingProperties(@DefaultValue("30d") @NotNull Duration retention,
		@DefaultValue("100") @Min(1) int chunkSize, @DefaultValue("0s") @NotNull Duration chunkPause) {

}
