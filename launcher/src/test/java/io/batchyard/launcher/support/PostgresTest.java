package io.batchyard.launcher.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.ContextConfiguration;

/**
 * Runs a {@link BatchyardTest} context on a fresh database of the embedded PostgreSQL
 * server (real binaries, started once per test JVM on a free loopback port).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ContextConfiguration(initializers = PostgresDatabaseInitializer.class)
public @interface PostgresTest {

}
