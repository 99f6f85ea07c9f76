package io.batchyard.jobs.enhancement;

import java.util.UUID;

/**
 * A pending enhancement whose robot held it past its lease.
 *
 * @param id the pending enhancement
 * @param requestId its request
 * @param referenceId its reference
 * @param robotId its robot
 * @param retryDepth how many retries came before it
 * @param batchId the batch it was claimed in
 */
public record ExpiredLease(UUID id, UUID requestId, UUID referenceId, String robotId, int retryDepth, UUID batchId) {

}
