/**
 * Partitioned steps: one step execution split into partitions that run on this node's
 * threads ({@code batchyard.partitioning.mode=local}) or on worker nodes that take
 * {@code StepExecutionRequest}s from a queue and share the job repository
 * ({@code remote}, Spring Batch Integration's remote partitioning, the manager polling
 * the repository).
 */
package io.batchyard.jobs.partition;
