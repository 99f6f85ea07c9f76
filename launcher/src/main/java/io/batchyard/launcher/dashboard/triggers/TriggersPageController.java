package io.batchyard.launcher.dashboard.triggers;

import java.util.List;
import java.util.Map;

import io.batchyard.jobs.launch.QueueTrigger;
import io.batchyard.launcher.catalogue.QueueDepths;
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

	private final ObjectProvider<QueueTrigger> triggers;

	private final ObjectProvider<TriggerActivity> activity;

	private final QueueDepths queueDepths;

	TriggersPageController(ObjectProvider<QueueTrigger> triggers, ObjectProvider<TriggerActivity> activity,
			QueueDepths queueDepths) {
		this.triggers = triggers;
		this.activity = activity;
		this.queueDepths = queueDepths;
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
	 * @param deadLetterDepth approximate messages in the dead-letter queue the queue's
	 * redrive policy names, or why unknown
	 */
	record TriggerRow(String name, String queue, long received, long launched, long duplicate, long rejected,
			long failed, LastError lastError, String deadLetterDepth) {
	}

	@GetMapping("/triggers")
	String triggers(Model model) {
		TriggerActivity activity = this.activity.getIfAvailable();
		List<QueueTrigger> triggers = (activity == null) ? List.of() : this.triggers.orderedStream().toList();
		// All queues at once, within the depth reader's timeout and cache: a slow SQS
		// never makes the page wait once per queue.
		Map<String, QueueDepths.Depth> depths = this.queueDepths
			.depths(triggers.stream().map(QueueTrigger::queue).toList());
		List<TriggerRow> rows = triggers.stream().map((trigger) -> {
			long launched = activity.count(trigger.name(), Outcome.LAUNCHED);
			long duplicate = activity.count(trigger.name(), Outcome.DUPLICATE);
			long rejected = activity.count(trigger.name(), Outcome.REJECTED);
			long failed = activity.count(trigger.name(), Outcome.FAILED);
			return new TriggerRow(trigger.name(), trigger.queue(), launched + duplicate + rejected + failed, launched,
					duplicate, rejected, failed, activity.lastError(trigger.name()).orElse(null),
					deadLetterDepth(depths.get(trigger.queue())));
		}).toList();
		model.addAttribute("enabled", activity != null);
		model.addAttribute("triggers", rows);
		return "dashboard/triggers";
	}

	private static String deadLetterDepth(QueueDepths.Depth depth) {
		if (depth.deadLetterMessages() != null) {
			return String.valueOf(depth.deadLetterMessages());
		}
		return (depth.problem() != null) ? "unavailable (" + depth.problem() + ")" : "no dead-letter queue";
	}

}
