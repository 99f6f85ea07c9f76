/**
 * The SQS transport of remote partitioning ({@code batchyard.partitioning.mode=remote}):
 * managers send each partition's {@code StepExecutionRequest} to the partition queue,
 * workers take them from it and run them through the jobs module's partition worker.
 */
package io.batchyard.launcher.partition;
