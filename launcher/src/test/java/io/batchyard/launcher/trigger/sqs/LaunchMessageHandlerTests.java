package io.batchyard.launcher.trigger.sqs;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.awspring.cloud.sqs.MessagingHeaders;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.Visibility;
import io.awspring.cloud.sqs.listener.acknowledgement.AcknowledgementCallback;
import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.QueueTrigger;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;
import io.batchyard.launcher.launch.LaunchRefusedException.Reason;
import io.batchyard.launcher.trigger.sqs.TriggerActivity.LastError;
import io.batchyard.launcher.trigger.sqs.TriggerActivity.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * Which outcomes delete the message, without a queue: the acknowledgement callback the
 * container would put on the message records the deletes.
 */
class LaunchMessageHandlerTests {

	private static final String BODY = "{\"job\": \"repositoryPurgeJob\", \"parameters\": {\"asOf\": \"2026-11-23\"}}";

	private final JobLaunchService launchService = mock(JobLaunchService.class);

	private final TriggerActivity activity = new TriggerActivity(new SimpleMeterRegistry(),
			Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC));

	private final LaunchMessageHandler handler = new LaunchMessageHandler(
			new QueueTrigger("launch", "batchyard-launch", new JsonLaunchMessageMapper(JsonMapper.shared())),
			this.launchService, this.activity);

	private final List<Message<?>> deleted = new ArrayList<>();

	private final List<Integer> visibilityChanges = new ArrayList<>();

	@Test
	void deletesALaunchedMessage() {
		given(this.launchService.launch(any()))
			.willReturn(new JobExecution(7L, new JobInstance(1L, "repositoryPurgeJob"), new JobParameters()));

		this.handler.handleMessage(message("m-1", BODY));

		verify(this.launchService).launch(new LaunchRequest("repositoryPurgeJob",
				java.util.Map.of("asOf", "2026-11-23"), LaunchRequest.Trigger.QUEUE));
		assertThat(this.deleted).hasSize(1);
		assertThat(this.activity.count("launch", Outcome.LAUNCHED)).isOne();
		assertThat(this.activity.lastError("launch")).isEmpty();
	}

	@Test
	void deletesADuplicate() {
		given(this.launchService.launch(any()))
			.willThrow(new LaunchRefusedException(Reason.ALREADY_RUNNING, "already running", 7L));

		this.handler.handleMessage(message("m-2", BODY));

		assertThat(this.deleted).hasSize(1);
		assertThat(this.activity.count("launch", Outcome.DUPLICATE)).isOne();
	}

	@Test
	void keepsAMessageWithInvalidParametersAndRemembersWhy() {
		given(this.launchService.launch(any()))
			.willThrow(new LaunchRefusedException(Reason.INVALID_PARAMETERS, "asOf is not an instant"));

		this.handler.handleMessage(message("m-3", BODY));

		assertThat(this.deleted).isEmpty();
		assertThat(this.activity.count("launch", Outcome.REJECTED)).isOne();
		assertThat(this.activity.lastError("launch")).contains(new LastError(Instant.parse("2026-11-23T12:00:00Z"),
				"m-3", Outcome.REJECTED, "INVALID_PARAMETERS: asOf is not an instant"));
	}

	@Test
	void keepsAnUnparseableMessageWithoutTryingToLaunch() {
		this.handler.handleMessage(message("m-4", "not json"));

		verify(this.launchService, never()).launch(any());
		assertThat(this.deleted).isEmpty();
		assertThat(this.activity.lastError("launch")).hasValueSatisfying((error) -> {
			assertThat(error.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(error.reason()).startsWith("Body is not JSON: Unrecognized token 'not'");
		});
	}

	@Test
	void keepsTheMessageWhenTheDatabaseIsDownSoItIsRedelivered() {
		given(this.launchService.launch(any())).willThrow(new DataAccessResourceFailureException(
				"Cannot get connection", new java.sql.SQLTransientConnectionException("Connection refused")));

		this.handler.handleMessage(message("m-5", BODY));

		assertThat(this.deleted).isEmpty();
		// Redelivered after the visibility timeout, which paces the retries.
		assertThat(this.visibilityChanges).isEmpty();
		assertThat(this.activity.count("launch", Outcome.FAILED)).isOne();
		assertThat(this.activity.lastError("launch")).hasValueSatisfying((error) -> assertThat(error.reason())
			.isEqualTo("Launch failed: SQLTransientConnectionException: Connection refused"));
	}

	@Test
	void handsTheMessageBackAtOnceWhileThisNodeShutsDown() {
		given(this.launchService.launch(any()))
			.willThrow(new LaunchRefusedException(Reason.SHUTTING_DOWN, "This runner node is shutting down"));

		this.handler.handleMessage(message("m-6", BODY));

		assertThat(this.deleted).isEmpty();
		assertThat(this.visibilityChanges).containsExactly(0);
		assertThat(this.activity.count("launch", Outcome.FAILED)).isOne();
		assertThat(this.activity.lastError("launch")).hasValueSatisfying((error) -> assertThat(error.reason())
			.isEqualTo("This runner node is shutting down; handed back to the queue for another node"));
	}

	private Message<String> message(String id, String body) {
		AcknowledgementCallback<Object> callback = new AcknowledgementCallback<>() {

			@Override
			public CompletableFuture<Void> onAcknowledge(Message<Object> message) {
				LaunchMessageHandlerTests.this.deleted.add(message);
				return CompletableFuture.completedFuture(null);
			}

		};
		return MessageBuilder.withPayload(body)
			.setHeader(SqsHeaders.SQS_SOURCE_DATA_HEADER,
					software.amazon.awssdk.services.sqs.model.Message.builder().messageId(id).body(body).build())
			.setHeader(MessagingHeaders.ACKNOWLEDGMENT_CALLBACK_HEADER, callback)
			.setHeader(SqsHeaders.SQS_VISIBILITY_TIMEOUT_HEADER, (Visibility) (seconds) -> {
				this.visibilityChanges.add(seconds);
				return CompletableFuture.completedFuture(null);
			})
			.build();
	}

}
