package io.batchyard.launcher.security;

import io.batchyard.launcher.BatchyardApplication;
import io.batchyard.launcher.production.MissingSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Without configured users the server refuses to start, except on the embedded default,
 * which generates a password for {@code admin} and prints it once.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityStartupTests {

	/**
	 * Only the main configuration (the test configuration in {@code config/} has users),
	 * an in-memory database and no emulators or triggers.
	 */
	private static final String[] NO_USERS = { "--spring.config.location=classpath:/application.properties",
			"--server.port=0", "--server.address=127.0.0.1", "--batchyard.embedded.sqs.enabled=false",
			"--batchyard.embedded.dynamodb.enabled=false", "--batchyard.embedded.sns.enabled=false",
			"--batchyard.embedded.postingest.provision=false", "--batchyard.jobs.postingest.enabled=false",

			"--batchyard.launcher.sqs.enabled=false", "--batchyard.scheduler.enabled=false",
			"--spring.main.banner-mode=off", "--spring.cloud.aws.region.static=us-east-1",
			"--spring.cloud.aws.credentials.access-key=local", "--spring.cloud.aws.credentials.secret-key=local" };

	/**
	 * Any profile but the embedded default; the production profile refuses earlier,
	 * before anything starts (ProductionProfileTests).
	 */
	@Test
	void refusesToStartWithoutUsers() {
		assertThatException()
			.isThrownBy(
					() -> application().run(concat(noUsers(), "--spring.profiles.active=staging", database())).close())
			.satisfies((refused) -> assertThat(NestedExceptionUtils.getMostSpecificCause(refused))
				.isInstanceOf(MissingSettingException.class)
				.hasMessageContaining("No users configured: set batchyard.security.users.<name>.password"));
	}

	@Test
	void theEmbeddedDefaultPrintsAGeneratedPasswordOnce(CapturedOutput output) {
		String[] args = concat(noUsers(), "--spring.profiles.active=embedded", database());
		try (ConfigurableApplicationContext context = application().run(args)) {
			String out = output.getOut();
			assertThat(out).containsOnlyOnce("generated password:");
			String password = out.substring(out.indexOf("generated password:") + "generated password:".length())
				.trim()
				.split("\\s")[0];
			assertThat(password).hasSizeGreaterThanOrEqualTo(20);
			UserDetailsService users = context.getBean(UserDetailsService.class);
			assertThat(context.getBean(PasswordEncoder.class)
				.matches(password, users.loadUserByUsername("admin").getPassword())).isTrue();
			assertThat(users.loadUserByUsername("admin").getAuthorities()).extracting(Object::toString)
				.containsExactly("ROLE_OPERATOR");
		}
	}

	private static SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(BatchyardApplication.class);
	}

	private static String database() {
		return "--spring.datasource.url=jdbc:h2:mem:security-" + System.nanoTime()
				+ ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL";
	}

	private static String[] noUsers() {
		return NO_USERS.clone();
	}

	private static String[] concat(String[] first, String... more) {
		String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
		System.arraycopy(more, 0, all, first.length, more.length);
		return all;
	}

}
