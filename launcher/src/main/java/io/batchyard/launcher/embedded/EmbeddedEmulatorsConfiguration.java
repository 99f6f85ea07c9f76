package io.batchyard.launcher.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.batchyard.jobs.imageingest.ImageIngestProperties;
import io.batchyard.jobs.postingest.PostingestProperties;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import org.springframework.util.ObjectUtils;

/**
 * The embedded default's AWS emulators, in this process.
 * {@link EmbeddedEmulatorsInitializer} starts them in parallel, on threads of their own
 * ({@link EmbeddedStartup}), as the context is created; what is created on them at
 * start-up (queues, the postingest table) follows as soon as they answer; the web server,
 * listeners and schedules start once all of it is done. Every SQS client bean is made to
 * depend on ElasticMQ and every DynamoDB client bean on DynamoDB Local, so an emulator
 * stops only after every client.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EmbeddedProperties.class)
class EmbeddedEmulatorsConfiguration {

	static final String SQS_SERVER = "embeddedSqsServer";

	static final String DYNAMODB_SERVER = "embeddedDynamoDbServer";

	static final String SNS_SERVER = "embeddedSnsServer";

	@Bean
	@ConditionalOnProperty(name = "batchyard.embedded.postingest.provision", havingValue = "true")
	EmbeddedPostingestSetup embeddedPostingestSetup(EmbeddedProperties properties,
			ObjectProvider<PostingestProperties> postingest, ObjectProvider<DynamoDbClient> dynamoDb,
			ObjectProvider<SqsAsyncClient> sqs, EmbeddedStartup startup, ObjectProvider<EmbeddedSqsServer> sqsServer,
			ObjectProvider<EmbeddedDynamoDbServer> dynamoDbServer) {
		return new EmbeddedPostingestSetup(java.nio.file.Path.of(properties.postingest().sampleRows()),
				postingest.getIfAvailable(), dynamoDb.getObject(), sqs.getObject(), startup,
				started(sqsServer, dynamoDbServer));
	}

	@Bean
	@ConditionalOnProperty(name = { "batchyard.embedded.sqs.enabled", "batchyard.embedded.image-ingest.create-queue" },
			havingValue = "true")
	EmbeddedImageQueueSetup embeddedImageQueueSetup(ObjectProvider<SqsAsyncClient> sqs,
			ObjectProvider<ImageIngestProperties> imageIngest, EmbeddedStartup startup,
			ObjectProvider<EmbeddedSqsServer> sqsServer) {
		return new EmbeddedImageQueueSetup(sqs.getObject(), imageIngest.getObject().queue(), startup,
				started(sqsServer));
	}

	/**
	 * The starts of the emulators that run here; one that is disabled is not waited for
	 * (whatever stands in for it is the operator's to start).
	 */
	@SafeVarargs
	private static List<CompletableFuture<Void>> started(ObjectProvider<? extends EmbeddedEmulator>... emulators) {
		List<CompletableFuture<Void>> started = new ArrayList<>();
		for (ObjectProvider<? extends EmbeddedEmulator> emulator : emulators) {
			emulator.ifAvailable((available) -> started.add(available.started()));
		}
		return started;
	}

	@Bean
	static BeanFactoryPostProcessor embeddedEmulatorClients() {
		// By class name: the DynamoDB client beans come later, with the jobs that use
		// them.
		return new ClientsDependOnEmulators(Map.of("software.amazon.awssdk.services.sqs.SqsAsyncClient", SQS_SERVER,
				"software.amazon.awssdk.services.sqs.SqsClient", SQS_SERVER,
				"software.amazon.awssdk.services.dynamodb.DynamoDbClient", DYNAMODB_SERVER,
				"software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient", DYNAMODB_SERVER,
				"software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient", DYNAMODB_SERVER,
				"software.amazon.awssdk.services.sns.SnsClient", SNS_SERVER));
	}

	/**
	 * Adds {@code dependsOn} an emulator to every bean of a client type, when the
	 * emulator runs (it is then a singleton registered before the refresh).
	 */
	static final class ClientsDependOnEmulators implements BeanFactoryPostProcessor {

		private final Map<String, String> emulatorByClientType;

		ClientsDependOnEmulators(Map<String, String> emulatorByClientType) {
			this.emulatorByClientType = emulatorByClientType;
		}

		@Override
		public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
			ClassLoader classLoader = beanFactory.getBeanClassLoader();
			this.emulatorByClientType.forEach((typeName, emulator) -> {
				if (!beanFactory.containsSingleton(emulator) || !ClassUtils.isPresent(typeName, classLoader)) {
					return;
				}
				Class<?> type = ClassUtils.resolveClassName(typeName, classLoader);
				for (String name : beanFactory.getBeanNamesForType(type, true, false)) {
					BeanDefinition definition = beanFactory.getBeanDefinition(name);
					String[] dependsOn = definition.getDependsOn();
					if (!ObjectUtils.containsElement(dependsOn, emulator)) {
						definition.setDependsOn(ObjectUtils.addObjectToArray(dependsOn, emulator));
					}
				}
			});
		}

	}

}
