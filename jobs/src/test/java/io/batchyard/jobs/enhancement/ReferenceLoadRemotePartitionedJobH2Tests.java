package io.batchyard.jobs.enhancement;

class ReferenceLoadRemotePartitionedJobH2Tests extends ReferenceLoadRemotePartitionedJobTests {

}
