package io.batchyard.jobs.postingest;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad queue list stops the context with a message naming the rule.
 */
class PostingestPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class);

	@Test
	void aValidListBinds() {
		this.runner
			.withPropertyValues("batchyard.jobs.postingest.queues[0].queue-alias=CC",
					"batchyard.jobs.postingest.queues[0].queue-order=1",
					"batchyard.jobs.postingest.queues[0].queue-url=http://q/cc",
					"batchyard.jobs.postingest.queues[0].retention=14d")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				PostingestProperties properties = context.getBean(PostingestProperties.class);
				assertThat(properties.tableName()).isEqualTo("postingest-state");
				assertThat(properties.indexName()).isEqualTo("QueueLastQueuedIdx");
				assertThat(properties.attributePrefix()).isEqualTo("ingested_");
				assertThat(properties.queues()).singleElement()
					.satisfies((queue) -> assertThat(queue.retention()).hasDays(14));
			});
	}

	@Test
	void aListWithoutOrderOneStopsTheContextNamingTheRule() {
		this.runner
			.withPropertyValues("batchyard.jobs.postingest.queues[0].queue-alias=CC",
					"batchyard.jobs.postingest.queues[0].queue-order=2",
					"batchyard.jobs.postingest.queues[0].queue-url=http://q/cc")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("batchyard.jobs.postingest.queues: no queue has queue-order 1"));
	}

	@Test
	void noQueuesStopTheContextUnlessTheJobsAreDisabled() {
		this.runner.run((context) -> assertThat(context).getFailure()
			.rootCause()
			.hasMessage("batchyard.jobs.postingest.queues: no queues are configured"));
		this.runner.withPropertyValues("batchyard.jobs.postingest.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(PostingestProperties.class)
	static class PropertiesOnly {

	}

}
