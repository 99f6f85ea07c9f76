package io.batchyard.jobs.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The jobs module's test context: {@link JobsTestApplication} on its own in-memory H2
 * database migrated by Flyway, with Spring Batch's test utilities. Add
 * {@link PostgresTest} to run the same context on a real PostgreSQL.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(classes = JobsTestApplication.class)
@SpringBatchTest
public @interface JobsTest {

}
