package io.batchyard.launcher.partition;

import java.util.List;

import io.awspring.cloud.sqs.integration.SqsMessageDrivenChannelAdapter;
import io.awspring.cloud.sqs.listener.SqsContainerOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import io.batchyard.jobs.partition.PartitioningProperties;
import io.batchyard.launcher.trigger.sqs.QueueProvisioner;
import io.batchyard.launcher.trigger.sqs.SqsListenerOptions;
import io.batchyard.launcher.trigger.sqs.SqsTriggerProperties;

import org.springframework.context.SmartLifecycle;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.dsl.context.IntegrationFlowContext.IntegrationFlowRegistration;

/**
 * Creates the partition queue where queues are created
 * ({@code batchyard.launcher.sqs.create-queues}), and, on a worker node, listens to it:
 * an integration flow from an SQS message-driven adapter to a
 * {@link PartitionRequestHandler}, taking at most {@code worker-concurrency} requests at
 * once, so that the other workers get the rest.
 * <p>
 * Starts after the runner node and stops before it, as the queue triggers do.
 */
class PartitionQueueListener implements SmartLifecycle {

	/** As the queue triggers: later than {@code RunnerLifecycle.PHASE}. */
	static final int PHASE = Integer.MAX_VALUE - 1024;

	private static final Log logger = LogFactory.getLog(PartitionQueueListener.class);

	private final SqsAsyncClient sqs;

	private final PartitioningProperties properties;

	private final SqsTriggerProperties sqsProperties;

	private final IntegrationFlowContext flowContext;

	private final PartitionRequestHandler handler;

	private final boolean listens;

	private IntegrationFlowRegistration registration;

	private volatile boolean running;

	PartitionQueueListener(SqsAsyncClient sqs, PartitioningProperties properties, SqsTriggerProperties sqsProperties,
			IntegrationFlowContext flowContext, PartitionRequestHandler handler, boolean listens) {
		this.sqs = sqs;
		this.properties = properties;
		this.sqsProperties = sqsProperties;
		this.flowContext = flowContext;
		this.handler = handler;
		this.listens = listens;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		if (this.sqsProperties.createQueues()) {
			new QueueProvisioner(this.sqs, this.sqsProperties.maxReceiveCount(), this.properties.visibilityTimeout())
				.provision(this.properties.queue());
		}
		if (this.listens) {
			IntegrationFlow flow = IntegrationFlow.from(adapter()).handle(this.handler).get();
			this.registration = this.flowContext.registration(flow)
				.id("partitionRequests.worker")
				.setDescription("Partition worker on queue " + this.properties.queue())
				.register();
			logger.info("Worker listening to partition queue=" + this.properties.queue() + " concurrency="
					+ this.properties.workerConcurrency());
		}
		else {
			logger.info("Not a partition worker (batchyard.runner.worker=false or the command line): partition"
					+ " requests on queue=" + this.properties.queue() + " are left to other nodes");
		}
		this.running = true;
	}

	private SqsMessageDrivenChannelAdapter adapter() {
		SqsMessageDrivenChannelAdapter adapter = new SqsMessageDrivenChannelAdapter(this.sqs, this.properties.queue());
		adapter.setSqsContainerOptions(containerOptions());
		adapter.setPhase(PHASE);
		return adapter;
	}

	private SqsContainerOptions containerOptions() {
		return SqsListenerOptions
			.manualDelete(this.properties.workerConcurrency(), this.sqsProperties.pollTimeout(),
					this.properties.visibilityTimeout())
			.messageSystemAttributeNames(List.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
			.build();
	}

	@Override
	public synchronized void stop() {
		if (this.registration != null) {
			this.registration.stop();
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
