package io.batchyard.launcher.dashboard.home;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.batchyard.jobs.launch.QueueTrigger;
import io.batchyard.jobs.partition.PartitioningProperties;
import io.batchyard.launcher.catalogue.QueueDepths;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The home page: what needs attention now, each list empty when all is well. Running
 * executions follow their progress live ({@link RunningStream}).
 */
@Controller
class HomePageController {

	private final Attention attention;

	private final RunningStream runningStream;

	private final ObjectProvider<QueueTrigger> queueTriggers;

	private final QueueDepths queueDepths;

	private final ObjectProvider<PartitioningProperties> partitioning;

	HomePageController(Attention attention, RunningStream runningStream, ObjectProvider<QueueTrigger> queueTriggers,
			QueueDepths queueDepths, ObjectProvider<PartitioningProperties> partitioning) {
		this.partitioning = partitioning;
		this.attention = attention;
		this.runningStream = runningStream;
		this.queueTriggers = queueTriggers;
		this.queueDepths = queueDepths;
	}

	/**
	 * A trigger's dead-letter queue that holds messages, or could not be read.
	 *
	 * @param source what reads the queue: "trigger &lt;name&gt;", or the partition
	 * workers
	 * @param queue its queue
	 * @param depth the queue's depth and its dead-letter queue's
	 */
	record DeadLetters(String source, String queue, QueueDepths.Depth depth) {
	}

	/**
	 * At most {@link Attention#LIMIT} entries of a list, and whether there were more.
	 *
	 * @param items the entries shown
	 * @param more whether more match
	 */
	record Section<T>(List<T> items, boolean more) {

		static <T> Section<T> of(List<T> fetched) {
			return (fetched.size() > Attention.LIMIT) ? new Section<>(fetched.subList(0, Attention.LIMIT), true)
					: new Section<>(fetched, false);
		}

		public String count() {
			return this.more ? "more than " + Attention.LIMIT : String.valueOf(this.items.size());
		}

	}

	@GetMapping("/")
	String home(Model model) {
		Section<Attention.Running> running = Section.of(this.attention.running());
		Section<Attention.Failed> failed = Section.of(this.attention.failed(LocalDateTime.now()));
		Section<Attention.PendingRestart> restarts = Section.of(this.attention.pendingRestarts());
		Section<Attention.SilentNode> nodes = Section.of(this.attention.silentNodes());
		model.addAttribute("running", running);
		model.addAttribute("failed", failed);
		model.addAttribute("restarts", restarts);
		model.addAttribute("silentNodes", nodes);
		model.addAttribute("heartbeatTimeout", this.attention.heartbeatTimeout());
		Map<String, String> queues = new LinkedHashMap<>();
		this.queueTriggers.orderedStream()
			.forEach((trigger) -> queues.put("trigger " + trigger.name(), trigger.queue()));
		PartitioningProperties partitions = this.partitioning.getIfAvailable();
		if (partitions != null && partitions.mode() == PartitioningProperties.Mode.REMOTE) {
			// A partition request no worker could take ends there too.
			queues.put("the partition workers", partitions.queue());
		}
		Map<String, QueueDepths.Depth> depths = this.queueDepths.depths(List.copyOf(queues.values()));
		List<DeadLetters> deadLetters = queues.entrySet()
			.stream()
			.map((queue) -> new DeadLetters(queue.getKey(), queue.getValue(), depths.get(queue.getValue())))
			.toList();
		List<DeadLetters> waiting = deadLetters.stream().filter((dead) -> dead.depth().deadLettersWaiting()).toList();
		List<DeadLetters> unread = deadLetters.stream().filter((dead) -> dead.depth().deadLettersUnknown()).toList();
		model.addAttribute("deadLetters", waiting);
		model.addAttribute("deadLettersUnread", unread);
		model.addAttribute("queueCount", queues.size());
		model.addAttribute("allWell",
				running.items().stream().allMatch(Attention.Running::nodeAlive) && failed.items().isEmpty()
						&& restarts.items().isEmpty() && nodes.items().isEmpty() && waiting.isEmpty());
		return "dashboard/home";
	}

	/**
	 * The running executions' progress, pushed while the home page is open.
	 * @return the event stream
	 */
	@GetMapping("/attention/running")
	SseEmitter running() {
		return this.runningStream.subscribe();
	}

}
