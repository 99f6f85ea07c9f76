package io.batchyard.launcher.dashboard.home;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.batchyard.launcher.support.BatchyardTest;
import io.batchyard.test.ElasticMqServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Queue depths on the pages, read from a real ElasticMQ: the jobs page and a job's page
 * show how many messages wait in the queue that starts the job, and the home page lists a
 * dead-letter queue (the one the queue's redrive policy names) while it holds messages.
 */
@BatchyardTest
@TestPropertySource(properties = { "batchyard.queue-depths.cache-for=0s", "batchyard.queue-depths.timeout=5s",
		"batchyard.runner.heartbeat-interval=1h", "batchyard.runner.heartbeat-timeout=1h" })
class QueueDepthPagesTests {

	private static final String QUEUE = "completions-" + UUID.randomUUID().toString().substring(0, 8);

	private static final String DEAD_LETTERS = QUEUE + "-dead";

	@DynamicPropertySource
	static void sqs(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.aws.sqs.endpoint", ElasticMqServer::endpoint);
		registry.add("batchyard.jobs.manifest-update.queue", () -> QUEUE);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	SqsAsyncClient sqs;

	@Test
	void theJobPagesShowTheTriggerQueuesDepthAndTheHomePageANonEmptyDeadLetterQueue() throws Exception {
		String deadUrl = this.sqs.createQueue((request) -> request.queueName(DEAD_LETTERS)).join().queueUrl();
		String deadArn = this.sqs
			.getQueueAttributes((request) -> request.queueUrl(deadUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
			.join()
			.attributes()
			.get(QueueAttributeName.QUEUE_ARN);
		String url = this.sqs
			.createQueue(
					(request) -> request.queueName(QUEUE)
						.attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
								"{\"deadLetterTargetArn\":\"" + deadArn + "\",\"maxReceiveCount\":\"3\"}")))
			.join()
			.queueUrl();
		for (int i = 0; i < 3; i++) {
			int n = i;
			this.sqs.sendMessage((request) -> request.queueUrl(url).messageBody("{\"n\": " + n + "}")).join();
		}
		for (int i = 0; i < 2; i++) {
			this.sqs.sendMessage((request) -> request.queueUrl(deadUrl).messageBody("refused")).join();
		}

		String jobs = page("/jobs");
		String row = jobs.substring(jobs.indexOf("data-job=\"manifestUpdateJob\""));
		row = row.substring(0, row.indexOf("</tr>"));
		assertThat(row).contains("queue batch-completion:").contains("title=\"" + QUEUE + "\">3 waiting</span>");
		// The generic launch queue is not listed per job (and not configured here).
		assertThat(jobs).doesNotContain("queue launch:");

		assertThat(page("/jobs/manifestUpdateJob")).contains("<code>" + QUEUE + "</code>")
			.contains("<span class=\"queue-depth\">3 waiting</span>");

		String home = page("/");
		String deadLetters = section(home, "dead-letters");
		assertThat(deadLetters).contains("(1)")
			.contains(">" + DEAD_LETTERS + "</a>")
			.contains("2 message(s)")
			.contains("refused by trigger batch-completion (queue " + QUEUE + ")");
		assertThat(home).doesNotContain("Nothing needs attention");

		// Emptied: nothing left to attend to.
		this.sqs.purgeQueue((request) -> request.queueUrl(deadUrl)).join();
		// In this thread: the mock user is a thread-local.
		await().atMost(Duration.ofSeconds(20)).pollInSameThread().untilAsserted(() -> {
			String after = page("/");
			assertThat(section(after, "dead-letters")).contains("(0)")
				.contains("No dead-letter queue of the 1 trigger queue(s) holds messages.");
			assertThat(after).contains("Nothing needs attention").contains("and no dead-letter queue holds messages.");
		});
	}

	private String page(String path) throws Exception {
		return this.mvc.perform(get(path)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
	}

	private static String section(String page, String id) {
		int start = page.indexOf("<section class=\"attention\" id=\"" + id + "\">");
		assertThat(start).as(id).isNotNegative();
		return page.substring(start, page.indexOf("</section>", start));
	}

}
