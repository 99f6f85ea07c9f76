package io.batchyard.jobs.postingest;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.batchyard.jobs.launch.JobDescription;
import io.batchyard.jobs.partition.PartitionFailureListener;
import io.batchyard.jobs.partition.PartitionSteps;
import io.batchyard.readers.dynamodb.DynamoDbPagingItemReader;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep's tests again with the sweep split into 4 segments of a parallel scan, run as
 * local partitions: the same messages, notifications, row changes and recorded skips as
 * one scan. The restart test is the partitioned one: only the segments that failed run
 * again, each from its last commit.
 */
class PostingestSweepPartitionedJobTests extends PostingestSweepJobTests {

	static final int GRID = 4;

	@DynamicPropertySource
	static void partitioned(DynamicPropertyRegistry registry) {
		registry.add("batchyard.jobs.postingest.sweep-grid-size", () -> String.valueOf(GRID));
	}

	@Override
	int gridSize() {
		return GRID;
	}

	@Test
	void everyRowIsInExactlyOneSegment() throws Exception {
		for (int i = 0; i < 40; i++) {
			put("segmented-" + i, Map.of("queue", "CC", "lastQueued", "2026-11-01T00:00:00Z"));
		}
		JobExecution execution = this.jobUtils.startJob(parameters("2026-11-23T10:04:00Z"));

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		List<StepExecution> partitions = partitions(execution);
		assertThat(partitions).hasSize(GRID);
		assertThat(partitions.stream().mapToLong(StepExecution::getReadCount).sum()).isEqualTo(40);
		// A parallel scan spreads the rows: no segment reads the whole table.
		assertThat(partitions).allSatisfy((partition) -> assertThat(partition.getReadCount()).isLessThan(40));
		assertThat(SweepSteps.of(execution, GRID).getReadCount()).isEqualTo(40);
	}

	@Override
	@Test
	void restartAfterAnSnsOutageResendsOnlyTheChunkInFlight() throws Exception {
		for (int i = 0; i < 12; i++) {
			put("asset-" + i, Map.of("input", "{\"n\":" + i + "}"));
		}
		PostingestServers.sns().outageAfter(4);
		JobParameters parameters = parameters("2026-11-23T10:01:00Z");

		JobExecution first = this.jobUtils.startJob(parameters);

		assertThat(first.getStatus()).isEqualTo(BatchStatus.FAILED);
		// The segment's failure, not the partition step's own message.
		assertThat(first.getExitStatus().getExitDescription())
			.startsWith(PostingestJobsConfiguration.SWEEP_SEGMENT_STEP + ":partition")
			.contains(" failed: ")
			.contains("; caused by InternalErrorException: Injected fault (Service: Sns, Status Code: 500")
			.doesNotContain(PartitionFailureListener.PARTITION_HANDLER_FAILED);
		Set<String> failedPartitions = partitions(first).stream()
			.filter((partition) -> partition.getStatus() == BatchStatus.FAILED)
			.map(StepExecution::getStepName)
			.collect(Collectors.toSet());
		assertThat(failedPartitions).isNotEmpty();
		List<String> committed = byAsset(PostingestServers.drain(cc())).keySet()
			.stream()
			.filter((asset) -> attribute(asset, "queue") != null)
			.toList();
		assertThat((long) committed.size())
			.isEqualTo(partitions(first).stream().mapToLong(StepExecution::getWriteCount).sum());

		PostingestServers.sns().recover();
		JobExecution second = this.jobUtils.startJob(parameters);

		assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(second.getJobInstanceId()).isEqualTo(first.getJobInstanceId());
		assertThat(partitions(second)).extracting(StepExecution::getStepName)
			.containsExactlyInAnyOrderElementsOf(failedPartitions);
		Map<String, JsonNode> secondSends = byAsset(PostingestServers.drain(cc()));
		assertThat(secondSends).hasSize(12 - committed.size()).doesNotContainKeys(committed.toArray(String[]::new));
		for (int i = 0; i < 12; i++) {
			assertThat(attribute("asset-" + i, "queue")).isEqualTo("CC");
		}
		assertThat(PostingestServers.sns().published()).hasSize(4 + 12 - committed.size());
	}

	@Test
	void aRestartAsOneScanIsRefusedNamingBothGridSizes() throws Exception {
		for (int i = 0; i < 12; i++) {
			put("asset-" + i, Map.of("input", "{\"n\":" + i + "}"));
		}
		PostingestServers.sns().outageAfter(4);
		JobParameters parameters = parameters("2026-11-23T10:02:00Z");
		JobExecution first = this.jobUtils.startJob(parameters);
		assertThat(first.getStatus()).isEqualTo(BatchStatus.FAILED);
		PostingestServers.sns().recover();

		this.jobUtils.setJob(atGridSizeOne());
		JobExecution refused = this.jobUtils.startJob(parameters);

		assertThat(refused.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(refused.getJobInstanceId()).isEqualTo(first.getJobInstanceId());
		assertThat(refused.getExitStatus().getExitDescription())
			.contains("Cannot restart postingestSweepJob instance " + first.getJobInstanceId() + " with grid size 1:"
					+ " its step sweepStateTableStep ran with grid size " + GRID + " (execution " + first.getId() + ")")
			.contains("Restart it where batchyard.jobs.postingest.sweep-grid-size=" + GRID);
		assertThat(this.jobRepository.getJobExecution(refused.getId()).getStepExecutions()).isEmpty();

		this.jobUtils.setJob(this.sweepJob);
		JobExecution resumed = this.jobUtils.startJob(parameters);
		assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		for (int i = 0; i < 12; i++) {
			assertThat(attribute("asset-" + i, "queue")).isEqualTo("CC");
		}
	}

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	@Qualifier("postingestSweepReader")
	DynamoDbPagingItemReader postingestSweepReader;

	@Autowired
	StateChangeRules postingestRules;

	@Autowired
	@Qualifier("postingestSweepWriter")
	PostingestWriter postingestSweepWriter;

	@Autowired
	PostingestProperties properties;

	@Autowired
	DataSource dataSource;

	@Autowired
	PartitionSteps partitionSteps;

	@Autowired
	Step sweepStateTableSegmentStep;

	@Autowired
	JobDescription postingestSweepJobDescription;

	/**
	 * {@code postingestSweepJob} as a node with grid size 1 builds it (not a bean: the
	 * registry holds this context's job under the same name).
	 */
	Job atGridSizeOne() {
		PostingestProperties p = this.properties;
		PostingestProperties one = new PostingestProperties(p.enabled(), p.tableName(), p.indexName(),
				p.attributePrefix(), p.topicArn(), p.queues(), p.chunkSize(), p.skipLimit(), p.sendAttempts(),
				p.sendBackOff(), 1);
		PostingestJobsConfiguration configuration = new PostingestJobsConfiguration();
		Step scan = configuration.sweepStateTableStep(this.jobRepository, this.transactionManager,
				this.postingestSweepReader, this.postingestRules, this.postingestSweepWriter, one, this.dataSource,
				this.partitionSteps, this.sweepStateTableSegmentStep);
		return configuration.postingestSweepJob(this.jobRepository, scan, this.postingestSweepJobDescription, one,
				this.partitionSteps);
	}

	List<StepExecution> partitions(JobExecution execution) {
		return this.jobRepository.getJobExecution(execution.getId())
			.getStepExecutions()
			.stream()
			.filter((step) -> step.getStepName().startsWith(PostingestJobsConfiguration.SWEEP_SEGMENT_STEP + ":"))
			.toList();
	}

}
