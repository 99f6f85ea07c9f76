package io.batchyard.launcher.trigger.sqs;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What each queue trigger did: Micrometer counters {@code batchyard.trigger.messages}
 * tagged {@code trigger} and {@code outcome}, and the last message each trigger could not
 * launch, for the dashboard. Kept in memory: it describes this node since it started.
 */
public class TriggerActivity {

	/** The counter's name. */
	public static final String METER = "batchyard.trigger.messages";

	/**
	 * What became of a message.
	 */
	public enum Outcome {

		/** The job was launched; the message was deleted. */
		LAUNCHED,
		/** The instance was already running or complete; the message was deleted. */
		DUPLICATE,
		/**
		 * The message cannot be launched (unparseable, unknown job, invalid parameters):
		 * left for the redrive policy to move to the dead-letter queue.
		 */
		REJECTED,
		/** Launching failed for a reason outside the message; left to be redelivered. */
		FAILED;

		public String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/**
	 * The last message a trigger did not launch.
	 *
	 * @param at when it was handled
	 * @param messageId the SQS message id
	 * @param outcome {@link Outcome#REJECTED} or {@link Outcome#FAILED}
	 * @param reason why
	 */
	public record LastError(Instant at, String messageId, Outcome outcome, String reason) {

	}

	private final MeterRegistry registry;

	private final Clock clock;

	private final Map<String, LastError> lastErrors = new ConcurrentHashMap<>();

	public TriggerActivity(MeterRegistry registry, Clock clock) {
		this.registry = registry;
		this.clock = clock;
	}

	/**
	 * Registers a trigger's counters at zero, so a dashboard or alert sees the trigger
	 * before its first message.
	 * @param trigger the trigger name
	 */
	void register(String trigger) {
		for (Outcome outcome : Outcome.values()) {
			counter(trigger, outcome);
		}
	}

	void record(String trigger, Outcome outcome) {
		counter(trigger, outcome).increment();
	}

	void recordError(String trigger, String messageId, Outcome outcome, String reason) {
		record(trigger, outcome);
		this.lastErrors.put(trigger, new LastError(this.clock.instant(), messageId, outcome, reason));
	}

	/**
	 * The last message a trigger did not launch.
	 * @param trigger the trigger name
	 * @return the last error, if any since this node started
	 */
	public Optional<LastError> lastError(String trigger) {
		return Optional.ofNullable(this.lastErrors.get(trigger));
	}

	/**
	 * How many messages of a trigger had an outcome, since this node started.
	 * @param trigger the trigger name
	 * @param outcome the outcome
	 * @return the count
	 */
	public long count(String trigger, Outcome outcome) {
		return (long) counter(trigger, outcome).count();
	}

	private Counter counter(String trigger, Outcome outcome) {
		return Counter.builder(METER)
			.description("Queue messages handled by the launcher, by trigger and outcome")
			.tag("trigger", trigger)
			.tag("outcome", outcome.tag())
			.register(this.registry);
	}

}
