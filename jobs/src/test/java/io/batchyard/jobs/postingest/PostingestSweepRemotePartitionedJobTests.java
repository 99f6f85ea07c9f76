package io.batchyard.jobs.postingest;

import io.batchyard.jobs.partition.DuplicatingTransport;

import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link PostingestSweepPartitionedJobTests} in remote partitioning mode: Spring Batch
 * Integration's manager polling the job repository, every segment's request handed as its
 * JSON body to two workers at once (the worker claims it once). A segment failing on a
 * worker still gives the sweep the exit description of its cause.
 */
@SpringBootTest(classes = { PostingestTestApplication.class, DuplicatingTransport.class })
@SpringBatchTest
class PostingestSweepRemotePartitionedJobTests extends PostingestSweepPartitionedJobTests {

	@DynamicPropertySource
	static void remote(DynamicPropertyRegistry registry) {
		registry.add("batchyard.partitioning.mode", () -> "remote");
		registry.add("batchyard.partitioning.poll-interval", () -> "50ms");
		registry.add("batchyard.partitioning.timeout", () -> "2m");
	}

}
