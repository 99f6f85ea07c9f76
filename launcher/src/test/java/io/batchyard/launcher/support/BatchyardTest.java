package io.batchyard.launcher.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.test.context.support.WithMockUser;

/**
 * The launcher's application context for tests: the whole application on its own
 * in-memory H2 database (see {@code src/test/resources/config/application.properties}),
 * MockMvc, and Spring Batch's test utilities. Add {@link PostgresTest} to run the same
 * context on a real PostgreSQL. Requests run as a mock {@code OPERATOR} unless a test
 * class or method says otherwise ({@code @WithMockUser(roles = "VIEWER")},
 * {@code @WithAnonymousUser}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest
@AutoConfigureMockMvc
@SpringBatchTest
@WithMockUser(username = "test-operator", roles = "OPERATOR")
public @interface BatchyardTest {

}
