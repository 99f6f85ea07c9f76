package io.batchyard.launcher.trigger.sqs;

import java.util.LinkedHashMap;
import java.util.Map;

import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.Visibility;
import io.awspring.cloud.sqs.listener.acknowledgement.Acknowledgement;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import io.batchyard.jobs.launch.LaunchRequest;
import io.batchyard.jobs.launch.LaunchRequest.Trigger;
import io.batchyard.jobs.launch.QueueTrigger;
import io.batchyard.jobs.launch.UnmappableMessageException;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.launch.LaunchRefusedException;
import io.batchyard.launcher.trigger.sqs.TriggerActivity.Outcome;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;

/**
 * Turns one queue message into one launch, and deletes the message only when the launch
 * was accepted or duplicates existing work; a node shutting down hands the message back
 * to the queue at once. The container runs in manual acknowledgement mode and this
 * handler never throws for a message it refuses: an exception would make the container
 * log the whole wrapped stack trace at ERROR on every redelivery, while leaving the
 * message undeleted already lets the redrive policy move it to the dead-letter queue. One
 * WARN line per refusal is enough.
 */
class LaunchMessageHandler implements MessageHandler {

	private static final Log logger = LogFactory.getLog(LaunchMessageHandler.class);

	private final QueueTrigger trigger;

	private final JobLaunchService launchService;

	private final TriggerActivity activity;

	LaunchMessageHandler(QueueTrigger trigger, JobLaunchService launchService, TriggerActivity activity) {
		this.trigger = trigger;
		this.launchService = launchService;
		this.activity = activity;
	}

	@Override
	public void handleMessage(Message<?> message) {
		software.amazon.awssdk.services.sqs.model.Message source = message.getHeaders()
			.get(SqsHeaders.SQS_SOURCE_DATA_HEADER, software.amazon.awssdk.services.sqs.model.Message.class);
		String messageId = (source != null) ? source.messageId() : String.valueOf(message.getHeaders().getId());
		String body = (source != null) ? source.body() : String.valueOf(message.getPayload());
		String where = "trigger=" + this.trigger.name() + " queue=" + this.trigger.queue() + " message=" + messageId
				+ receiveCount(source);
		LaunchRequest request;
		try {
			request = this.trigger.mapper().map(body, attributes(source));
		}
		catch (UnmappableMessageException ex) {
			refuse(where, messageId, Outcome.REJECTED, ex.getMessage());
			return;
		}
		catch (RuntimeException ex) {
			// Mappers report bad messages with UnmappableMessageException; anything else
			// is a bug worth a stack trace.
			logger.error("Mapper failed for " + where + "; message left on the queue", ex);
			this.activity.recordError(this.trigger.name(), messageId, Outcome.FAILED, "Mapper failed: " + ex);
			return;
		}
		launch(message, request.from(Trigger.QUEUE), where + " job=" + request.job(), messageId);
	}

	private void launch(Message<?> message, LaunchRequest request, String where, String messageId) {
		try {
			JobExecution execution = this.launchService.launch(request);
			acknowledge(message, where);
			this.activity.record(this.trigger.name(), Outcome.LAUNCHED);
			logger.info("Launched from " + where + ": execution=" + execution.getId());
		}
		catch (LaunchRefusedException ex) {
			if (ex.getReason().isDuplicate()) {
				// At-least-once delivery: the same message (or a twin) already started
				// this instance.
				acknowledge(message, where);
				this.activity.record(this.trigger.name(), Outcome.DUPLICATE);
				logger.info("Duplicate from " + where + ", message deleted: " + ex.getMessage());
			}
			else if (ex.getReason() == LaunchRefusedException.Reason.SHUTTING_DOWN) {
				handBack(message, where);
				refuse(where, messageId, Outcome.FAILED,
						ex.getMessage() + "; handed back to the queue for another node");
			}
			else {
				refuse(where, messageId, Outcome.REJECTED, ex.getReason() + ": " + ex.getMessage());
			}
		}
		catch (RuntimeException ex) {
			// Infrastructure (database, executor) rather than the message: redelivered
			// after the visibility timeout. The stack trace only at DEBUG, as it repeats
			// on every redelivery while the outage lasts.
			refuse(where, messageId, Outcome.FAILED, "Launch failed: " + rootCause(ex));
			logger.debug("Launch failure for " + where, ex);
		}
	}

	private void refuse(String where, String messageId, Outcome outcome, String reason) {
		this.activity.recordError(this.trigger.name(), messageId, outcome, reason);
		logger.warn("Not launched (" + outcome.tag() + "), message left for redelivery or the dead-letter queue, "
				+ where + ": " + reason);
	}

	/**
	 * Makes a message this node will not launch visible again at once, instead of after
	 * the visibility timeout: another node takes it now. Only while shutting down, when
	 * this node no longer polls, so it cannot receive the message again itself.
	 */
	private static void handBack(Message<?> message, String where) {
		Visibility visibility = message.getHeaders().get(SqsHeaders.SQS_VISIBILITY_TIMEOUT_HEADER, Visibility.class);
		if (visibility == null) {
			return;
		}
		visibility.changeToAsync(0).whenComplete((done, failure) -> {
			if (failure != null) {
				logger.warn("Could not hand back " + where + " (" + rootCause(failure)
						+ "); it returns after the visibility timeout");
			}
		});
	}

	private static void acknowledge(Message<?> message, String where) {
		Acknowledgement.acknowledgeAsync(message).whenComplete((done, failure) -> {
			if (failure != null) {
				logger.warn("Could not delete " + where + " (" + rootCause(failure)
						+ "); when it comes back it will be recognised as a duplicate");
			}
		});
	}

	private static Map<String, String> attributes(software.amazon.awssdk.services.sqs.model.Message source) {
		Map<String, String> attributes = new LinkedHashMap<>();
		if (source != null) {
			for (Map.Entry<String, MessageAttributeValue> attribute : source.messageAttributes().entrySet()) {
				if (attribute.getValue().stringValue() != null) {
					attributes.put(attribute.getKey(), attribute.getValue().stringValue());
				}
			}
		}
		return attributes;
	}

	private static String receiveCount(software.amazon.awssdk.services.sqs.model.Message source) {
		String count = (source != null) ? source.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
				: null;
		return (count != null) ? " receive=" + count : "";
	}

	private static String rootCause(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
