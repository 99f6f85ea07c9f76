package io.batchyard.jobs.partition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.batchyard.jobs.partition.PartitionWorker.Outcome;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.MessageChannel;

/**
 * The transport of remote partitioning in a test context: the manager's request, as the
 * JSON body SQS would carry, handed to two workers at the same instant (SQS delivers at
 * least once).
 */
@TestConfiguration(proxyBeanMethods = false)
public class DuplicatingTransport {

	private final ObjectProvider<PartitionWorker> worker;

	private final ExecutorService workers = Executors.newCachedThreadPool();

	private final PartitionRequestJson json = new PartitionRequestJson(JsonMapper.builder().build());

	private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());

	private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());

	DuplicatingTransport(ObjectProvider<PartitionWorker> worker) {
		this.worker = worker;
	}

	@Bean(PartitionSteps.REQUESTS_CHANNEL)
	MessageChannel partitionRequests() {
		return (message, timeout) -> {
			String body = this.json.write((StepExecutionRequest) message.getPayload());
			this.bodies.add(body);
			CyclicBarrier together = new CyclicBarrier(2);
			for (int delivery = 0; delivery < 2; delivery++) {
				this.workers.submit(() -> {
					together.await();
					Outcome outcome = this.worker.getObject().handle(this.json.read(body));
					this.outcomes.add(outcome);
					return outcome;
				});
			}
			return true;
		};
	}

	/**
	 * The requests sent, as JSON bodies.
	 * @return the bodies
	 */
	public List<String> bodies() {
		return List.copyOf(this.bodies);
	}

	/**
	 * What the workers did with each delivery.
	 * @return the outcomes, in the order the workers returned
	 */
	public List<Outcome> outcomes() {
		return List.copyOf(this.outcomes);
	}

	/** Forgets the requests and outcomes. */
	public void clear() {
		this.bodies.clear();
		this.outcomes.clear();
	}

}
