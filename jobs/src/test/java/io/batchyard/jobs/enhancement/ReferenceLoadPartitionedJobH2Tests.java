package io.batchyard.jobs.enhancement;

class ReferenceLoadPartitionedJobH2Tests extends ReferenceLoadPartitionedJobTests {

}
