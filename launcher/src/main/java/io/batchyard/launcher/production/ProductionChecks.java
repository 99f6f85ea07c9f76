package io.batchyard.launcher.production;

import java.util.List;

import io.batchyard.launcher.security.SecurityProperties;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;
import org.springframework.util.StringUtils;

/**
 * What the {@code production} profile refuses before anything starts: the embedded
 * profile or any of its emulators next to it, no datasource (Spring Boot would otherwise
 * create an in-memory H2 database on the class path and lose every execution at the next
 * restart), and, for a server node, no dashboard/API user. Runs first among the
 * initializers, so it refuses before {@code EmbeddedEmulatorsInitializer} could start an
 * emulator; a refusal is a {@link MissingSettingException}, reported by
 * {@link MissingSettingFailureAnalyzer}. Registered in {@code META-INF/spring.factories}.
 */
public class ProductionChecks implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

	/** The profile's name. */
	public static final String PROFILE = "production";

	/**
	 * The switches of the embedded default's emulators and of what it creates on them;
	 * none may be on in production.
	 */
	static final List<String> EMBEDDED_SWITCHES = List.of("batchyard.embedded.sqs.enabled",
			"batchyard.embedded.dynamodb.enabled", "batchyard.embedded.sns.enabled",
			"batchyard.embedded.postingest.provision", "batchyard.embedded.image-ingest.create-queue");

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		if (environment.acceptsProfiles(Profiles.of(PROFILE))) {
			check(environment);
		}
	}

	static void check(ConfigurableEnvironment environment) {
		if (environment.acceptsProfiles(Profiles.of("embedded"))) {
			throw new MissingSettingException("spring.profiles.active",
					"The production and embedded profiles are both active: the embedded profile would start"
							+ " in-process emulators and an H2 database next to production's settings.",
					"Activate production alone: SPRING_PROFILES_ACTIVE=production.");
		}
		for (String name : EMBEDDED_SWITCHES) {
			if (environment.getProperty(name, Boolean.class, false)) {
				throw new MissingSettingException(name,
						name + " is true, but the production profile never starts the embedded emulators or"
								+ " creates anything on them.",
						"Remove " + name + " (or set it to false); point spring.cloud.aws.<service>.endpoint at"
								+ " an emulator you run yourself if you need one.");
			}
		}
		if (!StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
			throw new MissingSettingException("spring.datasource.url",
					"No datasource: spring.datasource.url is not set. The production profile needs the shared"
							+ " PostgreSQL job repository; it never falls back to an in-memory database.",
					"Set SPRING_DATASOURCE_URL (jdbc:postgresql://host:5432/batchyard), SPRING_DATASOURCE_USERNAME"
							+ " and SPRING_DATASOURCE_PASSWORD in the environment.");
		}
		if (!"cli".equals(environment.getProperty("batchyard.runner.role")) && !hasUser(environment)) {
			throw new MissingSettingException("batchyard.security.users.<name>.password",
					"No users configured: set batchyard.security.users.<name>.password (an encoded password"
							+ " such as {bcrypt}$2a$10$...) and .roles (VIEWER or OPERATOR). The production profile"
							+ " never generates a password, and bearer tokens alone leave the dashboard without"
							+ " a login.",
					"Set BATCHYARD_SECURITY_USERS_<NAME>_PASSWORD (the encoded password) and"
							+ " BATCHYARD_SECURITY_USERS_<NAME>_ROLES=OPERATOR in the environment; see"
							+ " docs/dashboard-and-security.md for hashing a password.");
		}
	}

	private static boolean hasUser(ConfigurableEnvironment environment) {
		SecurityProperties security = Binder.get(environment)
			.bindOrCreate("batchyard.security", SecurityProperties.class);
		return security.users().values().stream().anyMatch((user) -> StringUtils.hasText(user.password()));
	}

}
