package io.batchyard.jobs.postingest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.batchyard.test.RepositoryFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code postingestResendJob} on DynamoDB Local and ElasticMQ, in chunks of 3. ElasticMQ
 * does not report {@code MessageRetentionPeriod}, so the queues set their retention. The
 * TC queue's URL names a queue that only some tests create: sending to it before is a
 * real fault.
 */
@SpringBootTest(classes = PostingestTestApplication.class)
@SpringBatchTest
class PostingestResendJobTests {

	static final String TABLE = "resend-state";

	static final String TC_QUEUE = "resend-tc-" + System.nanoTime();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("batchyard.jobs.postingest.table-name", () -> TABLE);
		registry.add("batchyard.jobs.postingest.chunk-size", () -> "3");
		registry.add("batchyard.jobs.postingest.send-attempts", () -> "2");
		registry.add("batchyard.jobs.postingest.send-back-off", () -> "10ms");
		registry.add("batchyard.jobs.postingest.queues[0].queue-alias", () -> "CC");
		registry.add("batchyard.jobs.postingest.queues[0].queue-order", () -> "1");
		registry.add("batchyard.jobs.postingest.queues[0].queue-url", () -> PostingestServers.queueUrl("resend-cc"));
		registry.add("batchyard.jobs.postingest.queues[0].retention", () -> "14d");
		registry.add("batchyard.jobs.postingest.queues[1].queue-alias", () -> "TC");
		registry.add("batchyard.jobs.postingest.queues[1].queue-order", () -> "2");
		registry.add("batchyard.jobs.postingest.queues[1].queue-url",
				() -> PostingestServers.queueUrl("resend-cc").replace("resend-cc", TC_QUEUE));
		registry.add("batchyard.jobs.postingest.queues[1].retention", () -> "7d");
	}

	@Autowired
	JobOperatorTestUtils jobUtils;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	@Qualifier("postingestResendJob")
	Job resendJob;

	@BeforeEach
	void reset() {
		this.repositoryUtils.removeJobExecutions();
		this.jobUtils.setJob(this.resendJob);
		PostingestServers.recreateTable(TABLE);
		PostingestServers.drain(cc());
	}

	@Test
	void theSeedsExampleResendsOnlyTheFirstRow() throws Exception {
		PostingestServers.put(TABLE,
				Map.of("assetId", "e2715719-c313-4e95-b5e6-f8759dcc6aed", "batchId",
						"TDR_0cae3480-2b84-42a7-b899-dcce25aee98b", "input",
						"{\"preservationSystemId\":\"9a83532d-dd26-442d-b259-b1823f668649\"}", "queue", "CC",
						"lastQueued", "2025-06-05T10:00:00Z"));
		PostingestServers.put(TABLE,
				Map.of("assetId", "ca3bb9d5-c5bf-4da8-9ad7-a937f163b006", "batchId",
						"TDR_5d29749b-4891-4ae4-abdd-d57c9bab00ee", "input",
						"{\"preservationSystemId\":\"f6c52bdd-c245-4439-992e-7a3358407b36\"}", "queue", "CC",
						"lastQueued", "2025-06-15T10:00:00Z"));
		Instant before = Instant.now();

		JobExecution execution = this.jobUtils
			.startJob(new JobParametersBuilder().addString("asOf", "2025-06-19T16:24:00Z").toJobParameters());

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
		StepExecution step = RepositoryFixture.onlyStep(execution);
		assertThat(step.getReadCount()).isEqualTo(1);
		assertThat(step.getWriteCount()).isEqualTo(1);
		assertThat(PostingestServers.drain(cc())).containsExactly(
				"{\"assetId\":\"e2715719-c313-4e95-b5e6-f8759dcc6aed\",\"batchId\":\"TDR_0cae3480-2b84-42a7-b899-dcce25aee98b\","
						+ "\"resultAttrName\":\"ingested_CC\",\"payload\":{\"preservationSystemId\":\"9a83532d-dd26-442d-b259-b1823f668649\"}}");
		String resent = PostingestServers
			.get(TABLE, "e2715719-c313-4e95-b5e6-f8759dcc6aed", "TDR_0cae3480-2b84-42a7-b899-dcce25aee98b")
			.get("lastQueued")
			.s();
		assertThat(Instant.parse(resent)).isAfterOrEqualTo(before.minusMillis(1000));
		assertThat(PostingestServers
			.get(TABLE, "ca3bb9d5-c5bf-4da8-9ad7-a937f163b006", "TDR_5d29749b-4891-4ae4-abdd-d57c9bab00ee")
			.get("lastQueued")
			.s()).isEqualTo("2025-06-15T10:00:00Z");
	}

	@Test
	void restartAfterAMissingQueueResendsOnlyTheChunkInFlight() throws Exception {
		for (int i = 0; i < 7; i++) {
			put("cc-" + i, "CC", "2026-01-0" + (i + 1) + "T00:00:00Z");
		}
		put("cc-fresh", "CC", "2026-11-20T00:00:00Z");
		for (int i = 0; i < 4; i++) {
			put("tc-" + i, "TC", "2026-02-0" + (i + 1) + "T00:00:00Z");
		}
		put("tc-fresh", "TC", "2026-11-20T00:00:00Z");
		JobParameters parameters = new JobParametersBuilder().addString("fireTime", "2026-11-23T10:00:00Z")
			.toJobParameters();

		JobExecution first = this.jobUtils.startJob(parameters);

		assertThat(first.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(first.getAllFailureExceptions()).isNotEmpty()
			.allSatisfy((failure) -> assertThat(failure).rootCause().isInstanceOf(QueueDoesNotExistException.class));
		StepExecution failed = RepositoryFixture.onlyStep(first);
		// The index returns each queue's rows by lastQueued: chunks [cc-0..2], [cc-3..5]
		// commit; the third chunk [cc-6, tc-0, tc-1] sends cc-6, then fails on TC.
		assertThat(failed.getWriteCount()).isEqualTo(6);
		assertThat(failed.getCommitCount()).isEqualTo(2);
		List<String> ccSends = PostingestServers.drain(cc());
		assertThat(ccSends).hasSize(7);
		var saved = this.jobRepository.getStepExecution(failed.getId()).getExecutionContext();
		assertThat(saved.getInt("postingestResendReader.current.queue")).isZero();
		assertThat(saved.get("postingestResendReader.CC.start.key").toString()).contains("assetId=S:cc-5");
		assertThat(lastQueued("cc-5")).isGreaterThan("2026-11-23");
		assertThat(lastQueued("cc-6")).isEqualTo("2026-01-07T00:00:00Z");

		String tcUrl = PostingestServers.queueUrl(TC_QUEUE);
		JobExecution second = this.jobUtils.startJob(parameters);

		assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(second.getJobInstanceId()).isEqualTo(first.getJobInstanceId());
		assertThat(this.jobRepository.getJobExecutions(second.getJobInstance())).hasSize(2);
		StepExecution resumed = RepositoryFixture.onlyStep(second);
		assertThat(resumed.getReadCount()).isEqualTo(5);
		assertThat(resumed.getWriteCount()).isEqualTo(5);
		// At least once: only cc-6, of the chunk in flight, is sent a second time.
		assertThat(PostingestServers.drain(cc())).singleElement().asString().contains("\"assetId\":\"cc-6\"");
		assertThat(PostingestServers.drain(tcUrl)).hasSize(4)
			.allMatch((body) -> body.contains("\"resultAttrName\":\"ingested_TC\""));
		for (int i = 0; i < 7; i++) {
			assertThat(lastQueued("cc-" + i)).isGreaterThan("2026-11-23");
		}
		for (int i = 0; i < 4; i++) {
			assertThat(lastQueued("tc-" + i)).isGreaterThan("2026-11-23");
		}
		assertThat(lastQueued("cc-fresh")).isEqualTo("2026-11-20T00:00:00Z");
		assertThat(lastQueued("tc-fresh")).isEqualTo("2026-11-20T00:00:00Z");
	}

	static void put(String assetId, String queue, String lastQueued) {
		PostingestServers.put(TABLE, Map.of("assetId", assetId, "batchId", "TDR_2", "input",
				"{\"id\":\"" + assetId + "\"}", "queue", queue, "firstQueued", lastQueued, "lastQueued", lastQueued));
	}

	static String lastQueued(String assetId) {
		return PostingestServers.get(TABLE, assetId, "TDR_2").get("lastQueued").s();
	}

	static String cc() {
		return PostingestServers.queueUrl("resend-cc");
	}

}
