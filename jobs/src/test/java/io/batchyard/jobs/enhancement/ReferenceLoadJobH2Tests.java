package io.batchyard.jobs.enhancement;

class ReferenceLoadJobH2Tests extends ReferenceLoadJobTests {

}
