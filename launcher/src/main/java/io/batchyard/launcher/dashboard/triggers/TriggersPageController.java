package io.batchyard.launcher.dashboard.triggers;

import java.util.List;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import io.batchyard.jobs.launch.QueueTrigger;
import io.batchyard.launcher.trigger.sqs.TriggerActivity;
import io.batchyard.launcher.trigger.sqs.TriggerActivity.LastError;
import io.batchyard.launcher.trigger.sqs.TriggerActivity.Outcome;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Each queue this node listens to: messages received, launched, duplicate, rejected and
 * failed since it started, the last error, and the dead-letter queue's depth.
 */
@Controller
class TriggersPageController {

	private static final long SQS_TIMEOUT_SECONDS = 3;

	private final ObjectProvider<QueueTrigger> triggers;

	private final ObjectProvider<TriggerActivity> activity;

	private final ObjectProvider<SqsAsyncClient> sqs;

	TriggersPageController(ObjectProvider<QueueTrigger> triggers, ObjectProvider<TriggerActivity> activity,
			ObjectProvider<SqsAsyncClient> sqs) {
		this.triggers = triggers;
		this.activity = activity;
		this.sqs = sqs;
	}

	/**
	 * One trigger.
	 *
	 * @param name its name
	 * @param queue its queue
	 * @param received messages handled
	 * @param launched launched
	 * @param duplicate duplicates of running or completed work
	 * @param rejected cannot be launched (left for the dead-letter queue)
	 * @param failed launching failed (left for redelivery)
	 * @param lastError the last message not launched, or {@code null}
	 * @param deadLetterDepth approximate messages in {@code <queue>-dlq}, or a reason
	 */
	record TriggerRow(String name, String queue, long received, long launched, long duplicate, long rejected,
			long failed, LastError lastError, String deadLetterDepth) {
	}

	@GetMapping("/triggers")
	String triggers(Model model) {
		TriggerActivity activity = this.activity.getIfAvailable();
		List<TriggerRow> rows = (activity == null) ? List.of() : this.triggers.orderedStream().map((trigger) -> {
			long launched = activity.count(trigger.name(), Outcome.LAUNCHED);
			long duplicate = activity.count(trigger.name(), Outcome.DUPLICATE);
			long rejected = activity.count(trigger.name(), Outcome.REJECTED);
			long failed = activity.count(trigger.name(), Outcome.FAILED);
			return new TriggerRow(trigger.name(), trigger.queue(), launched + duplicate + rejected + failed, launched,
					duplicate, rejected, failed, activity.lastError(trigger.name()).orElse(null),
					deadLetterDepth(trigger.queue()));
		}).toList();
		model.addAttribute("enabled", activity != null);
		model.addAttribute("triggers", rows);
		return "dashboard/triggers";
	}

	private String deadLetterDepth(String queue) {
		SqsAsyncClient client = this.sqs.getIfAvailable();
		if (client == null) {
			return "no SQS client";
		}
		String dlq = queue.substring(queue.lastIndexOf('/') + 1) + "-dlq";
		try {
			String url = client.getQueueUrl((request) -> request.queueName(dlq))
				.get(SQS_TIMEOUT_SECONDS, TimeUnit.SECONDS)
				.queueUrl();
			String depth = client
				.getQueueAttributes((request) -> request.queueUrl(url)
					.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
				.get(SQS_TIMEOUT_SECONDS, TimeUnit.SECONDS)
				.attributes()
				.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
			return (depth != null) ? depth : "unknown";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unavailable";
		}
		catch (Exception ex) {
			// No dead-letter queue, or SQS unreachable: the page still renders.
			return "unavailable (" + dlq + ")";
		}
	}

}
