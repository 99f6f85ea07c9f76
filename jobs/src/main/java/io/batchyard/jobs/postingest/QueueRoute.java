package io.batchyard.jobs.postingest;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The configured queues in order, with the attribute names and status texts derived from
 * them.
 */
public final class QueueRoute {

	static final String INGESTED_PRESERVATION = "Asset has been ingested to the Preservation System.";

	static final String INGESTED_CC_DISK = "Asset has been written to custodial copy disk.";

	static final String INGESTED_TAPE = "Asset has been written to data tape.";

	private final List<Stage> stages;

	public QueueRoute(List<PostingestProperties.Queue> queues, String attributePrefix) {
		QueueListValidator.validate(queues);
		List<PostingestProperties.Queue> sorted = queues.stream()
			.sorted(Comparator.comparing(PostingestProperties.Queue::queueOrder))
			.toList();
		this.stages = sorted.stream().map((queue) -> {
			boolean last = queue.queueOrder() == sorted.size();
			String status = (queue.confirmedStatus() != null) ? queue.confirmedStatus()
					: last ? INGESTED_TAPE : "CC".equals(queue.queueAlias()) ? INGESTED_CC_DISK
							: "Asset has been confirmed by " + queue.queueAlias() + ".";
			return new Stage(queue.queueAlias(), queue.queueOrder(), queue.queueUrl(),
					attributePrefix + queue.queueAlias(), status, last, queue.retention());
		}).toList();
	}

	public List<Stage> stages() {
		return this.stages;
	}

	public Stage first() {
		return this.stages.get(0);
	}

	public Optional<Stage> byAlias(String alias) {
		return this.stages.stream().filter((stage) -> stage.alias().equals(alias)).findFirst();
	}

	public Stage after(Stage stage) {
		return this.stages.get(stage.order());
	}

	/**
	 * One queue.
	 *
	 * @param alias its alias
	 * @param order its place, from 1
	 * @param url its URL
	 * @param resultAttribute its confirmation attribute
	 * @param confirmedStatus the notification status once it confirmed a row
	 * @param last whether it is the last queue
	 * @param retention the configured retention override, or {@code null}
	 */
	public record Stage(String alias, int order, String url, String resultAttribute, String confirmedStatus,
			boolean last, Duration retention) {

	}

}
