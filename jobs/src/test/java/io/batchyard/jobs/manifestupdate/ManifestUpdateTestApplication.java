package io.batchyard.jobs.manifestupdate;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * {@code manifestUpdateJob} alone: Boot's Batch, JDBC and Flyway auto-configuration and
 * the job's configuration.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ManifestUpdateJobConfiguration.class)
public class ManifestUpdateTestApplication {

}
