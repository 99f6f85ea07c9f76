package io.batchyard.jobs.postingest;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.batchyard.jobs.support.SkippedItemRecorder;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code postingestSweepJob} on DynamoDB Local, ElasticMQ and the SNS endpoint, in chunks
 * of 3.
 */
@SpringBootTest(classes = PostingestTestApplication.class)
@SpringBatchTest
class PostingestSweepJobTests {

	static final String TABLE = "sweep-state";

	static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:postingest-sweep-test";

	static final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("batchyard.jobs.postingest.table-name", () -> TABLE);
		registry.add("batchyard.jobs.postingest.topic-arn", () -> TOPIC);
		registry.add("batchyard.jobs.postingest.chunk-size", () -> "3");
		registry.add("batchyard.jobs.postingest.send-back-off", () -> "10ms");
		registry.add("batchyard.jobs.postingest.queues[0].queue-alias", () -> "CC");
		registry.add("batchyard.jobs.postingest.queues[0].queue-order", () -> "1");
		registry.add("batchyard.jobs.postingest.queues[0].queue-url", () -> PostingestServers.queueUrl("sweep-cc"));
		registry.add("batchyard.jobs.postingest.queues[1].queue-alias", () -> "TC");
		registry.add("batchyard.jobs.postingest.queues[1].queue-order", () -> "2");
		registry.add("batchyard.jobs.postingest.queues[1].queue-url", () -> PostingestServers.queueUrl("sweep-tc"));
	}

	@Autowired
	JobOperatorTestUtils jobUtils;

	@Autowired
	JobRepositoryTestUtils repositoryUtils;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	@Qualifier("postingestSweepJob")
	Job sweepJob;

	/** Partitions of the sweep in this context. */
	int gridSize() {
		return 1;
	}

	@BeforeEach
	void reset() {
		this.repositoryUtils.removeJobExecutions();
		this.jdbc.update("DELETE FROM BATCHYARD_SKIPPED_ITEM");
		this.jobUtils.setJob(this.sweepJob);
		PostingestServers.recreateTable(TABLE);
		PostingestServers.drain(cc());
		PostingestServers.drain(tc());
		PostingestServers.sns().clear();
	}

	@Test
	void appliesTheStateChangeRulesAndSkipsRowsNoRuleCanProcess() throws Exception {
		put("new-json", Map.of("input", "{\"preservationSystemId\":\"ps-1\"}", "correlationId", "corr-1"));
		put("new-text", Map.of("input", "not json"));
		put("confirmed-cc", Map.of("input", "{}", "queue", "CC", "firstQueued", "2026-11-01T00:00:00Z", "lastQueued",
				"2026-11-01T00:00:00Z", "ingested_CC", "{\"filePaths\":[\"/a/b\"]}"));
		put("waiting-cc", Map.of("input", "{}", "queue", "CC", "lastQueued", "2026-11-01T00:00:00Z"));
		put("confirmed-tc", Map.of("input", "{}", "queue", "TC", "lastQueued", "2026-11-01T00:00:00Z", "ingested_TC",
				"{\"done\":true}"));
		put("unknown-queue", Map.of("input", "{}", "queue", "XX", "lastQueued", "2026-11-01T00:00:00Z"));
		put("cc-not-json",
				Map.of("input", "{}", "queue", "CC", "lastQueued", "2026-11-01T00:00:00Z", "ingested_CC", "oops"));
		PostingestServers.put(TABLE, Map.of("assetId", "no-input", "batchId", "TDR_1"));

		JobExecution execution = this.jobUtils.startJob(parameters("2026-11-23T10:00:00Z"));

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo(SkippedItemRecorder.COMPLETED_WITH_SKIPS);
		StepExecution step = SweepSteps.of(execution, gridSize());
		assertThat(step.getReadCount()).isEqualTo(8);
		assertThat(step.getWriteCount()).isEqualTo(4);
		assertThat(step.getFilterCount()).isEqualTo(1);
		assertThat(step.getProcessSkipCount()).isEqualTo(3);

		Map<String, JsonNode> toCc = byAsset(PostingestServers.drain(cc()));
		assertThat(toCc).containsOnlyKeys("new-json", "new-text");
		assertThat(toCc.get("new-json").toString()).isEqualTo(
				"{\"assetId\":\"new-json\",\"batchId\":\"TDR_1\",\"resultAttrName\":\"ingested_CC\",\"payload\":{\"preservationSystemId\":\"ps-1\"}}");
		assertThat(toCc.get("new-text").get("payload").stringValue()).isEqualTo("not json");
		Map<String, JsonNode> toTc = byAsset(PostingestServers.drain(tc()));
		assertThat(toTc).containsOnlyKeys("confirmed-cc");
		assertThat(toTc.get("confirmed-cc").get("resultAttrName").stringValue()).isEqualTo("ingested_TC");
		assertThat(toTc.get("confirmed-cc").get("payload").toString()).isEqualTo("{\"filePaths\":[\"/a/b\"]}");

		Map<String, JsonNode> notes = PostingestServers.sns()
			.published()
			.stream()
			.peek((request) -> assertThat(request.get("TopicArn")).isEqualTo(TOPIC))
			.map((request) -> json.readTree(request.get("Message")))
			.collect(Collectors.toMap((n) -> n.get("parameters").get("assetId").stringValue(), Function.identity()));
		assertThat(notes).containsOnlyKeys("new-json", "new-text", "confirmed-cc", "confirmed-tc");
		assertThat(status(notes.get("new-json"))).isEqualTo("Asset has been ingested to the Preservation System.");
		assertThat(notes.get("new-json").get("properties").get("parentMessageId").stringValue()).isEqualTo("corr-1");
		assertThat(notes.get("new-json").get("properties").get("executionId").stringValue()).isEqualTo("TDR_1");
		assertThat(type(notes.get("new-json"))).isEqualTo("preserve.digital.asset.ingest.update");
		assertThat(status(notes.get("confirmed-cc"))).isEqualTo("Asset has been written to custodial copy disk.");
		assertThat(type(notes.get("confirmed-cc"))).isEqualTo("preserve.digital.asset.ingest.update");
		assertThat(status(notes.get("confirmed-tc"))).isEqualTo("Asset has been written to data tape.");
		assertThat(type(notes.get("confirmed-tc"))).isEqualTo("preserve.digital.asset.ingest.complete");

		assertThat(attribute("new-json", "queue")).isEqualTo("CC");
		assertThat(attribute("new-json", "firstQueued")).isEqualTo(attribute("new-json", "lastQueued")).isNotNull();
		assertThat(attribute("confirmed-cc", "queue")).isEqualTo("TC");
		assertThat(attribute("confirmed-cc", "lastQueued")).isGreaterThan("2026-11-01T00:00:00Z");
		assertThat(attribute("waiting-cc", "lastQueued")).isEqualTo("2026-11-01T00:00:00Z");
		assertThat(PostingestServers.get(TABLE, "confirmed-tc", "TDR_1")).isEmpty();
		assertThat(PostingestServers.count(TABLE)).isEqualTo(7);

		List<Map<String, Object>> skipped = this.jdbc
			.queryForList("SELECT ITEM_KEY, REASON, PHASE FROM BATCHYARD_SKIPPED_ITEM WHERE JOB_EXECUTION_ID = ?"
					+ " ORDER BY ITEM_KEY", execution.getId());
		assertThat(skipped).extracting((row) -> row.get("ITEM_KEY"))
			.containsExactly("cc-not-json/TDR_1", "no-input/TDR_1", "unknown-queue/TDR_1");
		assertThat(skipped).extracting((row) -> (String) row.get("REASON"))
			.containsExactly(
					"Row cc-not-json/TDR_1: confirmation 'ingested_CC' is not JSON, so queue TC cannot take it",
					"Row no-input/TDR_1 has no 'input' attribute",
					"Row unknown-queue/TDR_1 waits on queue 'XX', which is not configured");
	}

	@Test
	void aRowWaitingWithoutInputIsNotASkipInAnySweepWhileARuleThatFailsIsRecordedEachTime() throws Exception {
		put("waiting-no-input", Map.of("queue", "CC", "lastQueued", "2026-11-01T00:00:00Z"));
		put("waiting-tc-no-input", Map.of("queue", "TC", "firstQueued", "2026-11-01T00:00:00Z"));
		put("new-no-input", Map.of("correlationId", "corr-9"));

		for (String fireTime : List.of("2026-11-23T10:02:00Z", "2026-11-23T10:03:00Z")) {
			JobExecution execution = this.jobUtils.startJob(parameters(fireTime));

			assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			StepExecution step = SweepSteps.of(execution, gridSize());
			assertThat(step.getReadCount()).isEqualTo(3);
			assertThat(step.getFilterCount()).isEqualTo(2);
			assertThat(step.getProcessSkipCount()).isEqualTo(1);
			assertThat(step.getWriteCount()).isZero();
			assertThat(this.jdbc.queryForList(
					"SELECT ITEM_KEY, REASON FROM BATCHYARD_SKIPPED_ITEM" + " WHERE JOB_EXECUTION_ID = ?",
					execution.getId()))
				.extracting((row) -> row.get("ITEM_KEY") + ": " + row.get("REASON"))
				.containsExactly("new-no-input/TDR_1: Row new-no-input/TDR_1 has no 'input' attribute");
		}
		assertThat(this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM BATCHYARD_SKIPPED_ITEM WHERE ITEM_KEY LIKE" + " 'waiting%'", Integer.class))
			.isZero();
		assertThat(attribute("waiting-no-input", "lastQueued")).isEqualTo("2026-11-01T00:00:00Z");
		assertThat(PostingestServers.drain(cc())).isEmpty();
		assertThat(PostingestServers.drain(tc())).isEmpty();
		assertThat(PostingestServers.sns().published()).isEmpty();
	}

	@Test
	void restartAfterAnSnsOutageResendsOnlyTheChunkInFlight() throws Exception {
		for (int i = 0; i < 10; i++) {
			put("asset-" + i, Map.of("input", "{\"n\":" + i + "}"));
		}
		// Chunk 1 publishes 3; chunk 2 sends its 3 messages, publishes 1, then SNS fails.
		PostingestServers.sns().outageAfter(4);
		JobParameters parameters = parameters("2026-11-23T10:01:00Z");

		JobExecution first = this.jobUtils.startJob(parameters);

		assertThat(first.getStatus()).isEqualTo(BatchStatus.FAILED);
		StepExecution failed = SweepSteps.of(first, gridSize());
		assertThat(failed.getWriteCount()).isEqualTo(3);
		assertThat(failed.getCommitCount()).isEqualTo(1);
		List<String> firstSends = PostingestServers.drain(cc());
		assertThat(firstSends).hasSize(6);
		List<String> committed = byAsset(firstSends).keySet()
			.stream()
			.filter((asset) -> attribute(asset, "queue") != null)
			.toList();
		assertThat(committed).hasSize(3);
		assertThat(this.jobRepository.getStepExecution(failed.getId())
			.getExecutionContext()
			.getLong("postingestSweepReader.read.count")).isEqualTo(3);

		PostingestServers.sns().recover();
		JobExecution second = this.jobUtils.startJob(parameters);

		assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(second.getJobInstanceId()).isEqualTo(first.getJobInstanceId());
		assertThat(this.jobRepository.getJobExecutions(second.getJobInstance())).hasSize(2);
		StepExecution resumed = SweepSteps.of(second, gridSize());
		assertThat(resumed.getReadCount()).isEqualTo(7);
		assertThat(resumed.getWriteCount()).isEqualTo(7);
		Map<String, JsonNode> secondSends = byAsset(PostingestServers.drain(cc()));
		assertThat(secondSends).hasSize(7).doesNotContainKeys(committed.toArray(String[]::new));
		// Every row queued once; the 3 rows of the failed chunk were sent twice.
		for (int i = 0; i < 10; i++) {
			assertThat(attribute("asset-" + i, "queue")).isEqualTo("CC");
		}
		long duplicates = byAsset(firstSends).keySet().stream().filter(secondSends::containsKey).count();
		assertThat(duplicates).isEqualTo(3);
		assertThat(PostingestServers.sns().published()).hasSize(4 + 7);
	}

	@Test
	void aNotificationSnsStillFailsInItsBatchFailsTheChunkAndTheRestartPublishesItOnce() throws Exception {
		for (int i = 0; i < 10; i++) {
			put("asset-" + i, Map.of("input", "{\"n\":" + i + "}"));
		}
		// The entry of asset-4 fails on each of its 4 attempts; the other entries
		// succeed.
		PostingestServers.sns().failEntries("\"asset-4\"", 4);
		JobParameters parameters = parameters("2026-11-23T10:05:00Z");

		JobExecution first = this.jobUtils.startJob(parameters);

		assertThat(first.getStatus()).isEqualTo(BatchStatus.FAILED);
		// Whichever node ran the failing step or partition, the exit description names
		// it.
		assertThat(first.getExitStatus().getExitDescription())
			.contains("Could not publish 1 SNS message(s) to " + TOPIC + ": asset-4/TDR_1 (InternalError: ");
		assertThat(PostingestServers.sns().batchSizes()).isNotEmpty()
			.allSatisfy((size) -> assertThat(size).isBetween(1, 10));
		List<String> firstNotes = notifiedAssets();
		assertThat(firstNotes).doesNotContain("asset-4").doesNotHaveDuplicates();
		// Not lost: the row of the failed notification was not advanced, so it is read
		// again.
		assertThat(attribute("asset-4", "queue")).isNull();
		List<String> committed = firstNotes.stream().filter((asset) -> attribute(asset, "queue") != null).toList();
		// The rows of the failed chunk that were notified: the at-least-once window.
		List<String> window = firstNotes.stream().filter((asset) -> !committed.contains(asset)).toList();
		assertThat(window.size()).isLessThan(3);
		long written = this.jobRepository.getJobExecution(first.getId())
			.getStepExecutions()
			.stream()
			.filter((step) -> !step.getStepName().equals(PostingestJobsConfiguration.SWEEP_STEP) || gridSize() == 1)
			.mapToLong(StepExecution::getWriteCount)
			.sum();
		assertThat((long) committed.size()).isEqualTo(written);

		JobExecution second = this.jobUtils.startJob(parameters);

		assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(second.getJobInstanceId()).isEqualTo(first.getJobInstanceId());
		for (int i = 0; i < 10; i++) {
			assertThat(attribute("asset-" + i, "queue")).isEqualTo("CC");
		}
		Map<String, Long> notes = notifiedAssets().stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(notes).hasSize(10).containsEntry("asset-4", 1L);
		notes.forEach((asset, times) -> assertThat(times).as(asset).isEqualTo(window.contains(asset) ? 2L : 1L));
	}

	static List<String> notifiedAssets() {
		return PostingestServers.sns()
			.messages()
			.stream()
			.map((message) -> json.readTree(message).get("parameters").get("assetId").stringValue())
			.toList();
	}

	static JobParameters parameters(String fireTime) {
		return new JobParametersBuilder().addString("fireTime", fireTime).toJobParameters();
	}

	static void put(String assetId, Map<String, String> attributes) {
		Map<String, String> item = new java.util.HashMap<>(attributes);
		item.put("assetId", assetId);
		item.put("batchId", "TDR_1");
		PostingestServers.put(TABLE, item);
	}

	static String attribute(String assetId, String name) {
		var value = PostingestServers.get(TABLE, assetId, "TDR_1").get(name);
		return (value != null) ? value.s() : null;
	}

	static Map<String, JsonNode> byAsset(List<String> bodies) {
		return bodies.stream()
			.map(json::readTree)
			.collect(Collectors.toMap((n) -> n.get("assetId").stringValue(), Function.identity(), (a, b) -> a));
	}

	static String status(JsonNode note) {
		return note.get("parameters").get("status").stringValue();
	}

	static String type(JsonNode note) {
		return note.get("properties").get("messageType").stringValue();
	}

	static String cc() {
		return PostingestServers.queueUrl("sweep-cc");
	}

	static String tc() {
		return PostingestServers.queueUrl("sweep-tc");
	}

}
