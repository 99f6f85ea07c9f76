package io.batchyard.launcher.embedded;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the enabled emulators of the embedded default as soon as the application context
 * exists, before its configuration classes are even read, so that they come up on threads
 * of their own while the main thread parses the configuration and creates the beans
 * ({@link EmbeddedStartup}): started as beans, they would begin only when their first
 * client is created, halfway through the refresh, and the context would then wait for
 * them. They are registered as singletons
 * ({@value EmbeddedEmulatorsConfiguration#SQS_SERVER},
 * {@value EmbeddedEmulatorsConfiguration#DYNAMODB_SERVER},
 * {@value EmbeddedEmulatorsConfiguration#SNS_SERVER}) and stopped when the context
 * closes, after every client ({@link EmbeddedEmulatorsConfiguration}).
 * <p>
 * The settings are bound here from the environment, as the {@link EmbeddedProperties}
 * bean is later (which also validates them). Registered in
 * {@code META-INF/spring.factories}.
 */
public class EmbeddedEmulatorsInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	static final String STARTUP = "embeddedStartup";

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		if (!(context.getBeanFactory() instanceof DefaultListableBeanFactory beanFactory)) {
			return;
		}
		EmbeddedProperties properties = Binder.get(context.getEnvironment())
			.bindOrCreate("batchyard.embedded", EmbeddedProperties.class);
		EmbeddedStartup startup = new EmbeddedStartup(context.getApplicationStartup());
		register(beanFactory, STARTUP, startup);
		if (properties.dynamodb().enabled()) {
			start(beanFactory, EmbeddedEmulatorsConfiguration.DYNAMODB_SERVER,
					new EmbeddedDynamoDbServer(properties.dynamodb().port(), properties.dynamodb().dbPath(), startup));
		}
		if (properties.sqs().enabled()) {
			start(beanFactory, EmbeddedEmulatorsConfiguration.SQS_SERVER,
					new EmbeddedSqsServer(properties.sqs().port(), properties.sqs().dbPath(), startup));
		}
		if (properties.sns().enabled()) {
			start(beanFactory, EmbeddedEmulatorsConfiguration.SNS_SERVER,
					new EmbeddedSnsServer(properties.sns().port(), startup));
		}
	}

	private static void start(DefaultListableBeanFactory beanFactory, String name, EmbeddedEmulator emulator) {
		register(beanFactory, name, emulator);
		emulator.afterPropertiesSet();
	}

	/**
	 * A singleton of the context, destroyed with it (also when its refresh fails).
	 */
	private static void register(DefaultListableBeanFactory beanFactory, String name, Object singleton) {
		beanFactory.registerSingleton(name, singleton);
		if (singleton instanceof DisposableBean disposable) {
			beanFactory.registerDisposableBean(name, disposable);
		}
	}

}
