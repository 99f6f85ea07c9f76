package io.batchyard.launcher.embedded;

import java.util.Map;

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
 * The embedded default's AWS emulators, in this process. Every SQS client bean is made to
 * depend on ElasticMQ and every DynamoDB client bean on DynamoDB Local, so an emulator is
 * up before anything can use it (queue creation, listeners) and stops after them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EmbeddedProperties.class)
class EmbeddedEmulatorsConfiguration {

	static final String SQS_SERVER = "embeddedSqsServer";

	static final String DYNAMODB_SERVER = "embeddedDynamoDbServer";

	static final String SNS_SERVER = "embeddedSnsServer";

	@Bean(SQS_SERVER)
	@ConditionalOnProperty(name = "batchyard.embedded.sqs.enabled", havingValue = "true", matchIfMissing = true)
	EmbeddedSqsServer embeddedSqsServer(EmbeddedProperties properties) {
		return new EmbeddedSqsServer(properties.sqs().port());
	}

	@Bean(DYNAMODB_SERVER)
	@ConditionalOnProperty(name = "batchyard.embedded.dynamodb.enabled", havingValue = "true", matchIfMissing = true)
	EmbeddedDynamoDbServer embeddedDynamoDbServer(EmbeddedProperties properties) {
		return new EmbeddedDynamoDbServer(properties.dynamodb().port(), properties.dynamodb().dbPath());
	}

	@Bean(SNS_SERVER)
	@ConditionalOnProperty(name = "batchyard.embedded.sns.enabled", havingValue = "true")
	EmbeddedSnsServer embeddedSnsServer(EmbeddedProperties properties) {
		return new EmbeddedSnsServer(properties.sns().port());
	}

	@Bean
	@ConditionalOnProperty(name = "batchyard.embedded.postingest.provision", havingValue = "true")
	EmbeddedPostingestSetup embeddedPostingestSetup(EmbeddedProperties properties,
			ObjectProvider<PostingestProperties> postingest, ObjectProvider<DynamoDbClient> dynamoDb,
			ObjectProvider<SqsAsyncClient> sqs) {
		return new EmbeddedPostingestSetup(java.nio.file.Path.of(properties.postingest().sampleRows()),
				postingest.getIfAvailable(), dynamoDb.getObject(), sqs.getObject());
	}

	@Bean
	@ConditionalOnProperty(name = { "batchyard.embedded.sqs.enabled", "batchyard.embedded.image-ingest.create-queue" },
			havingValue = "true")
	EmbeddedImageQueueSetup embeddedImageQueueSetup(ObjectProvider<SqsAsyncClient> sqs,
			ObjectProvider<ImageIngestProperties> imageIngest) {
		return new EmbeddedImageQueueSetup(sqs.getObject(), imageIngest.getObject().queue());
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
	 * emulator is enabled.
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
				if (!beanFactory.containsBeanDefinition(emulator) || !ClassUtils.isPresent(typeName, classLoader)) {
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
