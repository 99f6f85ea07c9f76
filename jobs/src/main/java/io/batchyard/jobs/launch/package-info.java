/**
 * What a job contributes to the launcher: how its native queue messages become launches.
 */
package io.batchyard.jobs.launch;
