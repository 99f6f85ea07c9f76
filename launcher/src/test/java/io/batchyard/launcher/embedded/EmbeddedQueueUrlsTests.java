package io.batchyard.launcher.embedded;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.batchyard.jobs.postingest.PostingestProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded profile's job queue URLs follow the configured SQS endpoint, never the
 * in-process emulator's port: a node that points {@code spring.cloud.aws.sqs.endpoint} at
 * an ElasticMQ it does not host (the emulator off, or on another node) sends to that one.
 */
class EmbeddedQueueUrlsTests {

	@Test
	void postingestQueueUrlsAreBuiltFromTheConfiguredSqsEndpoint() throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("operator",
					Map.of("spring.cloud.aws.sqs.endpoint", "http://sqs.example.internal:4566",
							"batchyard.embedded.sqs.enabled", "false", "batchyard.embedded.sqs.port", "19324")));
		for (PropertySource<?> source : new PropertiesPropertySourceLoader().load("embedded",
				new ClassPathResource("application-embedded.properties"))) {
			environment.getPropertySources().addLast(source);
		}

		PostingestProperties postingest = Binder.get(environment)
			.bindOrCreate("batchyard.jobs.postingest", PostingestProperties.class);

		List<String> urls = postingest.queues().stream().map(PostingestProperties.Queue::queueUrl).toList();
		assertThat(urls).containsExactly(
				"http://sqs.example.internal:4566/000000000000/postingest-custodial-copy-confirmer",
				"http://sqs.example.internal:4566/000000000000/postingest-custodial-copy-tape-confirmer");
	}

}
