package io.batchyard.jobs.enhancement;

import io.batchyard.jobs.support.PostgresTest;

@PostgresTest
class ReferenceLoadPartitionedJobPostgresTests extends ReferenceLoadPartitionedJobTests {

}
