package io.batchyard.launcher.trigger.sqs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.awspring.cloud.sqs.integration.SqsMessageDrivenChannelAdapter;
import io.awspring.cloud.sqs.listener.SqsContainerOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import io.batchyard.jobs.launch.QueueTrigger;
import io.batchyard.launcher.launch.JobLaunchService;
import io.batchyard.launcher.runner.LaunchTrigger;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.dsl.context.IntegrationFlowContext.IntegrationFlowRegistration;

/**
 * Subscribes to the queue of every {@link QueueTrigger} bean: one integration flow per
 * trigger, from an SQS message-driven adapter to a {@link LaunchMessageHandler}.
 * <p>
 * Starts after the runner node (its heartbeat and crash recovery run first). When the
 * node begins to shut down, every subscription stops polling at once
 * ({@link #stopLaunching()}); a message already received is refused by the launch service
 * and handed back to the queue ({@link LaunchMessageHandler}).
 */
class QueueTriggerSubscriptions implements SmartLifecycle, LaunchTrigger, Ordered {

	/** Later than {@code RunnerLifecycle.PHASE}: started after it, stopped before it. */
	static final int PHASE = Integer.MAX_VALUE - 1024;

	private static final Log logger = LogFactory.getLog(QueueTriggerSubscriptions.class);

	private final List<QueueTrigger> triggers;

	private final SqsAsyncClient sqs;

	private final SqsTriggerProperties properties;

	private final IntegrationFlowContext flowContext;

	private final JobLaunchService launchService;

	private final TriggerActivity activity;

	private final List<IntegrationFlowRegistration> registrations = new ArrayList<>();

	private volatile boolean running;

	private CompletableFuture<Void> stopping;

	QueueTriggerSubscriptions(List<QueueTrigger> triggers, SqsAsyncClient sqs, SqsTriggerProperties properties,
			IntegrationFlowContext flowContext, JobLaunchService launchService, TriggerActivity activity) {
		this.triggers = List.copyOf(triggers);
		this.sqs = sqs;
		this.properties = properties;
		this.flowContext = flowContext;
		this.launchService = launchService;
		this.activity = activity;
		Set<String> names = new HashSet<>();
		for (QueueTrigger trigger : this.triggers) {
			if (!names.add(trigger.name())) {
				// Names tag the metrics and the dashboard: two triggers must not share
				// one.
				throw new IllegalStateException("Two queue triggers are named '" + trigger.name() + "'");
			}
		}
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		QueueProvisioner provisioner = new QueueProvisioner(this.sqs, this.properties);
		for (QueueTrigger trigger : this.triggers) {
			if (this.properties.createQueues()) {
				provisioner.provision(trigger.queue());
			}
			this.activity.register(trigger.name());
			IntegrationFlow flow = IntegrationFlow.from(adapter(trigger))
				.handle(new LaunchMessageHandler(trigger, this.launchService, this.activity))
				.get();
			this.registrations.add(this.flowContext.registration(flow)
				.id("sqsTrigger." + trigger.name())
				.setDescription("SQS trigger " + trigger.name() + " on queue " + trigger.queue())
				.register());
			logger.info("Listening to queue=" + trigger.queue() + " for trigger=" + trigger.name());
		}
		this.running = true;
	}

	private SqsMessageDrivenChannelAdapter adapter(QueueTrigger trigger) {
		SqsMessageDrivenChannelAdapter adapter = new SqsMessageDrivenChannelAdapter(this.sqs, trigger.queue());
		adapter.setSqsContainerOptions(containerOptions());
		adapter.setPhase(PHASE);
		return adapter;
	}

	private SqsContainerOptions containerOptions() {
		return SqsListenerOptions
			.manualDelete(this.properties.maxConcurrentMessages(), this.properties.pollTimeout(),
					this.properties.visibilityTimeout())
			.messageAttributeNames(List.of("All"))
			.messageSystemAttributeNames(List.of(MessageSystemAttributeName.ALL))
			.build();
	}

	/**
	 * Stops every subscription without waiting: a container stops polling at once, but
	 * its stop returns only when the long poll in flight ended (up to
	 * {@code poll-timeout}), and one queue after the other would hold up the rest of the
	 * shutdown for that long each.
	 */
	@Override
	public synchronized void stopLaunching() {
		if (!this.running || this.stopping != null) {
			return;
		}
		List<CompletableFuture<Void>> stops = new ArrayList<>();
		for (IntegrationFlowRegistration registration : this.registrations) {
			CompletableFuture<Void> stop = new CompletableFuture<>();
			Thread thread = new Thread(() -> {
				try {
					registration.stop();
					stop.complete(null);
				}
				catch (RuntimeException ex) {
					stop.completeExceptionally(ex);
				}
			}, "stop-" + registration.getId());
			thread.setDaemon(true);
			thread.start();
			stops.add(stop);
		}
		this.stopping = CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new));
		logger.info("Shutting down: queues " + this.triggers.stream().map(QueueTrigger::queue).toList()
				+ " are no longer polled");
	}

	@Override
	public synchronized void stop() {
		if (this.stopping != null) {
			try {
				this.stopping.join();
			}
			catch (RuntimeException ex) {
				logger.warn("A queue listener failed to stop: " + ex.getMessage());
			}
			this.stopping = null;
		}
		else {
			for (IntegrationFlowRegistration registration : this.registrations) {
				registration.stop();
			}
		}
		this.running = false;
	}

	/**
	 * Silenced before the schedules (which are not ordered): its containers take longest
	 * to stop, so they begin first.
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
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
