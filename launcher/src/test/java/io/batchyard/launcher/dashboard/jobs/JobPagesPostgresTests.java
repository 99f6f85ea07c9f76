package io.batchyard.launcher.dashboard.jobs;

import io.batchyard.launcher.support.PostgresTest;

/**
 * The job pages on PostgreSQL: the window's aggregate ({@code PERCENTILE_CONT},
 * {@code EXTRACT(EPOCH ...)}) is the same SQL on both databases.
 */
@PostgresTest
class JobPagesPostgresTests extends JobPagesTests {

}
