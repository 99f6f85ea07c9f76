package io.batchyard.launcher.runner;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How this process runs jobs and takes part in the shared repository.
 *
 * @param role {@code server} (the web application) or {@code cli} (one command, then
 * exit)
 * @param maxConcurrentJobs job executions this node runs at once
 * @param heartbeatInterval how often this node writes its heartbeat
 * @param heartbeatTimeout after how long without a heartbeat a node counts as dead and
 * its running executions are recovered to FAILED
 * @param shutdownTimeout how long a shutdown waits for stopped executions to reach a
 * chunk boundary
 * @param worker whether this node runs partitions of other nodes' partitioned steps in
 * remote partitioning mode ({@code batchyard.partitioning.mode=remote}): a node can be
 * manager-only ({@code false}) or run partitions as well; the command line never does
 */
@Validated
@ConfigurationProperties("batchyard.runner")
public record RunnerProperties(@DefaultValue("server") @NotNull String role,
		@DefaultValue("4") @Min(1) int maxConcurrentJobs, @DefaultValue("5s") @NotNull Duration heartbeatInterval,
		@DefaultValue("30s") @NotNull Duration heartbeatTimeout, @DefaultValue("30s") @NotNull Duration shutdownTimeout,
		@DefaultValue("true") boolean worker) {

	public boolean isCommandLine() {
		return "cli".equals(this.role);
	}

}
