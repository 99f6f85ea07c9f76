package io.batchyard.jobs.support;

import io.batchyard.test.EmbeddedPostgresServer;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points the context at a new database on the shared embedded PostgreSQL server.
 */
class PostgresDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		TestPropertyValues
			.of("spring.datasource.url=" + EmbeddedPostgresServer.newDatabaseUrl(),
					"spring.datasource.username=postgres", "spring.datasource.password=postgres")
			.applyTo(context);
	}

}
