package io.batchyard.jobs.support;

import io.batchyard.jobs.housekeeping.RepositoryPurgeJobConfiguration;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The smallest application that runs the jobs: Boot's Batch, JDBC and Flyway
 * auto-configuration and the job configurations under test.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(RepositoryPurgeJobConfiguration.class)
public class JobsTestApplication {

}
