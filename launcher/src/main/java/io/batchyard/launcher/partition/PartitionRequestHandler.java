package io.batchyard.launcher.partition;

import java.util.Locale;

import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.acknowledgement.Acknowledgement;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import io.batchyard.jobs.partition.PartitionRequestJson;
import io.batchyard.jobs.partition.PartitionWorker;
import io.batchyard.jobs.partition.PartitionWorker.Outcome;

import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;

/**
 * Runs the partition of one queue message, on the listener's thread, and deletes the
 * message when the partition ran, was already taken, or no longer exists. A message that
 * is not a request, or names no partition this node may run, is left on the queue: after
 * the queue's receive count it goes to the dead-letter queue. Never throws for a message:
 * the container would log the wrapped stack trace on every delivery.
 */
class PartitionRequestHandler implements MessageHandler {

	/**
	 * Partition requests this node took, tagged {@code outcome}: {@code ran},
	 * {@code duplicate}, ...
	 */
	static final String METER = "batchyard.partition.requests";

	/** The logging context key of the runner's execution listener. */
	private static final String MDC_KEY = "batch";

	private static final Log logger = LogFactory.getLog(PartitionRequestHandler.class);

	private final MeterRegistry meterRegistry;

	private final PartitionWorker worker;

	private final PartitionRequestJson json;

	private final String queue;

	PartitionRequestHandler(PartitionWorker worker, PartitionRequestJson json, String queue,
			MeterRegistry meterRegistry) {
		this.meterRegistry = meterRegistry;
		this.worker = worker;
		this.json = json;
		this.queue = queue;
	}

	@Override
	public void handleMessage(Message<?> message) {
		software.amazon.awssdk.services.sqs.model.Message source = message.getHeaders()
			.get(SqsHeaders.SQS_SOURCE_DATA_HEADER, software.amazon.awssdk.services.sqs.model.Message.class);
		String body = (source != null) ? source.body() : String.valueOf(message.getPayload());
		String where = "queue=" + this.queue + " message=" + ((source != null) ? source.messageId() : "?")
				+ receiveCount(source);
		StepExecutionRequest request;
		try {
			request = this.json.read(body);
		}
		catch (IllegalArgumentException ex) {
			count("invalid");
			logger.warn("Not a partition request, left for the dead-letter queue, " + where + ": " + ex.getMessage());
			return;
		}
		Outcome outcome;
		try {
			outcome = this.worker.handle(request);
		}
		catch (RuntimeException ex) {
			MDC.remove(MDC_KEY);
			// The repository could not be read or the claim written: the message comes
			// back after its visibility timeout.
			count("failed");
			logger.warn("Partition request failed, " + where + ", redelivered later: " + ex);
			logger.debug("Partition request failure, " + where, ex);
			return;
		}
		// The step's listener named the job and step in the logging context of this
		// listener thread; the next message may be another job's.
		MDC.remove(MDC_KEY);
		count(outcome.name().toLowerCase(Locale.ROOT));
		if (outcome.isDone()) {
			Acknowledgement.acknowledgeAsync(message).whenComplete((done, failure) -> {
				if (failure != null) {
					logger.warn("Could not delete " + where + " (" + failure
							+ "); when it comes back it is dropped as a duplicate");
				}
			});
		}
	}

	private void count(String outcome) {
		Counter.builder(METER)
			.description("Partition requests taken from the partition queue by this worker")
			.tag("outcome", outcome)
			.register(this.meterRegistry)
			.increment();
	}

	private static String receiveCount(software.amazon.awssdk.services.sqs.model.Message source) {
		String count = (source != null) ? source.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
				: null;
		return (count != null) ? " receive=" + count : "";
	}

}
