package io.batchyard.jobs.enhancement;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The enhancement jobs alone: Boot's Batch, JDBC and Flyway auto-configuration and their
 * configurations.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ EnhancementImportJobConfiguration.class, EnhancementLeaseExpiryJobConfiguration.class,
		ReferenceLoadJobConfiguration.class })
public class EnhancementTestApplication {

}
