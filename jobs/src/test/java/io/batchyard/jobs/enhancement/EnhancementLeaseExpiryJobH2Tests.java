package io.batchyard.jobs.enhancement;

class EnhancementLeaseExpiryJobH2Tests extends EnhancementLeaseExpiryJobTests {

}
