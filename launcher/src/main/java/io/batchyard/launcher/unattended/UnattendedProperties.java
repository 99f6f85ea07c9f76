package io.batchyard.launcher.unattended;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.batchyard.jobs.support.FailureCategory;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-job restart and notification policy ({@code batchyard.jobs.<job>.restart.*},
 * {@code batchyard.jobs.<job>.notifications.*},
 * {@code batchyard.jobs.<job>.expected-duration}), the notification channels
 * ({@code batchyard.notifications.*}) and where the dashboard is
 * ({@code batchyard.dashboard.base-url}, for links in notifications). A job is named as
 * registered ({@code imageIngestJob}) or in kebab case ({@code image-ingest-job}).
 *
 * @param jobs per-job settings
 * @param notifications the channels and the outbox poller
 * @param dashboard the dashboard's public address
 * @param automaticRestarts the restart poller
 */
@ConfigurationProperties("batchyard")
public record UnattendedProperties(Map<String, JobSettings> jobs, @DefaultValue Notifications notifications,
		@DefaultValue Dashboard dashboard, @DefaultValue AutomaticRestarts automaticRestarts) {

	private static final JobSettings DEFAULTS = new JobSettings(null, null, null);

	public UnattendedProperties {
		Map<String, JobSettings> normalised = new LinkedHashMap<>();
		if (jobs != null) {
			jobs.forEach((name, settings) -> normalised.put(normalise(name), settings));
		}
		jobs = normalised;
	}

	/**
	 * The settings of one job, defaults where it has none.
	 * @param job the job name
	 * @return its settings
	 */
	public JobSettings job(String job) {
		return this.jobs.getOrDefault(normalise(job), DEFAULTS);
	}

	static String normalise(String name) {
		return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
	}

	/**
	 * One job's policy.
	 *
	 * @param restart its automatic restart policy
	 * @param notifications which of its ends are announced, and where
	 * @param expectedDuration a running execution older than this is announced once
	 * ({@code null}: never)
	 */
	public record JobSettings(RestartPolicy restart, Notify notifications, Duration expectedDuration) {

		public JobSettings {
			restart = (restart != null) ? restart : new RestartPolicy(null, null, null, null, false);
			notifications = (notifications != null) ? notifications : new Notify(null, true, null);
		}

	}

	/**
	 * When a FAILED execution is restarted without anyone acting.
	 *
	 * @param maxAttempts automatic restarts of one instance at most ({@code 0}: never)
	 * @param backoff the wait before the first; it doubles for each next one
	 * @param maxBackoff the longest wait
	 * @param on the failure categories that are restarted ({@code node-lost},
	 * {@code infrastructure}, {@code unknown}; never {@code invalid-input} or
	 * {@code operator})
	 * @param manualLaunches whether instances launched by hand (HTTP API, dashboard,
	 * command line) are restarted too; those started by a schedule, a queue message or
	 * the image and robot APIs always are
	 */
	public record RestartPolicy(Integer maxAttempts, Duration backoff, Duration maxBackoff, Set<FailureCategory> on,
			boolean manualLaunches) {

		public RestartPolicy {
			maxAttempts = (maxAttempts != null) ? maxAttempts : 3;
			backoff = (backoff != null) ? backoff : Duration.ofMinutes(1);
			maxBackoff = (maxBackoff != null) ? maxBackoff : Duration.ofHours(1);
			on = (on != null && !on.isEmpty()) ? Set.copyOf(on)
					: Set.of(FailureCategory.NODE_LOST, FailureCategory.INFRASTRUCTURE);
			if (maxAttempts < 0) {
				throw new IllegalArgumentException("restart.max-attempts must be 0 or more, not " + maxAttempts);
			}
			if (on.contains(FailureCategory.OPERATOR)) {
				throw new IllegalArgumentException("restart.on cannot include operator: an execution an operator "
						+ "stopped or abandoned is never restarted automatically");
			}
			if (on.contains(FailureCategory.INVALID_INPUT)) {
				throw new IllegalArgumentException("restart.on cannot include invalid-input: invalid parameters, "
						+ "input that fails validation and 4xx answers fail the same way again, so they are never "
						+ "restarted automatically");
			}
		}

		/**
		 * The wait before an automatic restart.
		 * @param attempt 1 for the first automatic restart
		 * @return the back-off, doubling per attempt, capped
		 */
		public Duration backoff(int attempt) {
			return Backoff.doubling(this.backoff, attempt, this.maxBackoff);
		}

	}

	/**
	 * Which ends of a job are announced.
	 *
	 * @param channels the channels ({@code sns} or a webhook's name); empty: every
	 * configured channel
	 * @param completedWithSkips whether COMPLETED WITH SKIPS is announced
	 * @param stopped whether STOPPED is announced ({@code null}: yes)
	 */
	public record Notify(List<String> channels, @DefaultValue("true") boolean completedWithSkips, Boolean stopped) {

		public Notify {
			channels = (channels != null) ? List.copyOf(channels) : List.of();
			stopped = (stopped != null) ? stopped : Boolean.TRUE;
		}

	}

	/**
	 * The channels and the outbox poller.
	 *
	 * @param sns the SNS topic
	 * @param webhooks webhooks by name
	 * @param pollInterval how often each node delivers what is due
	 * @param maxAttempts a delivery is given up (and shown undelivered) after this many
	 * attempts
	 * @param backoff the wait after a failed delivery; it doubles, up to an hour
	 * @param timeout the timeout of one webhook call
	 * @param retention delivered notifications are deleted after this long
	 */
	public record Notifications(@DefaultValue Sns sns, Map<String, Webhook> webhooks,
			@DefaultValue("5s") Duration pollInterval, @DefaultValue("20") int maxAttempts,
			@DefaultValue("10s") Duration backoff, @DefaultValue("10s") Duration timeout,
			@DefaultValue("7d") Duration retention) {

		public Notifications {
			webhooks = (webhooks != null) ? new LinkedHashMap<>(webhooks) : new LinkedHashMap<>();
		}

		/**
		 * The configured channel names: {@code sns} when a topic is set, then each
		 * webhook.
		 * @return the channel names
		 */
		public List<String> channelNames() {
			List<String> names = new java.util.ArrayList<>();
			if (this.sns.topicArn() != null && !this.sns.topicArn().isBlank()) {
				names.add(SNS_CHANNEL);
			}
			names.addAll(this.webhooks.keySet());
			return names;
		}

	}

	/** The name of the SNS channel. */
	public static final String SNS_CHANNEL = "sns";

	/**
	 * @param topicArn the topic notifications are published to (none: no SNS channel)
	 */
	public record Sns(String topicArn) {
	}

	/**
	 * @param url where the JSON body is POSTed
	 * @param format {@code json} (the notification) or {@code slack} ({@code {"text":
	 * ...}})
	 */
	public record Webhook(URI url, @DefaultValue("json") String format) {

		public Webhook {
			if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
				throw new IllegalArgumentException("A webhook needs an http or https url, not " + url);
			}
			if (!"json".equals(format) && !"slack".equals(format)) {
				throw new IllegalArgumentException("A webhook's format is json or slack, not " + format);
			}
		}

	}

	/**
	 * @param baseUrl the dashboard's public address, for links in notifications
	 */
	public record Dashboard(@DefaultValue("http://localhost:8080") String baseUrl) {
	}

	/**
	 * @param pollInterval how often each server node looks for due automatic restarts
	 * @param claimTimeout a claim older than this (its node died while restarting) is
	 * taken over
	 */
	public record AutomaticRestarts(@DefaultValue("5s") Duration pollInterval,
			@DefaultValue("2m") Duration claimTimeout) {
	}

}
