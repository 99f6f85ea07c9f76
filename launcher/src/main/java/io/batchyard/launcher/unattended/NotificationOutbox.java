package io.batchyard.launcher.unattended;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import tools.jackson.databind.json.JsonMapper;

import io.batchyard.launcher.runner.RunnerNode;
import io.batchyard.launcher.unattended.UnattendedProperties.JobSettings;
import io.batchyard.launcher.unattended.UnattendedProperties.Notifications;
import io.batchyard.launcher.unattended.UnattendedProperties.Webhook;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Delivers the outbox: each node claims due rows for a lease (a conditional update, so
 * one node delivers a row at a time), sends each to its channel and marks it delivered,
 * or schedules another attempt with a doubling back-off. A node killed between sending
 * and marking leaves the claim to expire and another node sends again: at least once, and
 * exactly once when nothing crashes; receivers de-duplicate on the notification id. Also
 * announces, once, executions running longer than their job's expected duration.
 */
public class NotificationOutbox {

	private static final Log logger = LogFactory.getLog(NotificationOutbox.class);

	private static final int BATCH = 50;

	private static final Duration MAX_BACKOFF = Duration.ofHours(1);

	private final JdbcTemplate jdbc;

	private final UnattendedProperties properties;

	private final ObjectProvider<SnsClient> sns;

	private final RunnerNode node;

	private final Clock clock;

	private final ExecutionEnds ends;

	private final HttpClient http;

	private final JsonMapper json = JsonMapper.shared();

	public NotificationOutbox(JdbcTemplate jdbc, UnattendedProperties properties, ObjectProvider<SnsClient> sns,
			RunnerNode node, ExecutionEnds ends, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.sns = sns;
		this.node = node;
		this.ends = ends;
		this.clock = clock;
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.notifications().timeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/**
	 * Delivers what is due.
	 * @return how many were delivered
	 */
	public int deliverDue() {
		Notifications settings = this.properties.notifications();
		Instant now = this.clock.instant();
		List<Long> due = this.jdbc.queryForList(
				"SELECT ID FROM BATCHYARD_NOTIFICATION WHERE DELIVERED_AT IS NULL"
						+ " AND ATTEMPTS < ? AND NEXT_ATTEMPT_AT <= ? AND (CLAIMED_UNTIL IS NULL OR CLAIMED_UNTIL < ?)"
						+ " ORDER BY ID FETCH FIRST " + BATCH + " ROWS ONLY",
				Long.class, settings.maxAttempts(), Timestamp.from(now), Timestamp.from(now));
		int delivered = 0;
		for (long id : due) {
			if (claim(id, now) && deliver(id)) {
				delivered++;
			}
		}
		this.jdbc.update("DELETE FROM BATCHYARD_NOTIFICATION WHERE DELIVERED_AT < ?",
				Timestamp.from(now.minus(settings.retention())));
		return delivered;
	}

	private boolean claim(long id, Instant now) {
		// The lease outlasts one delivery's timeouts, so a slow channel is not sent
		// twice.
		Instant until = now.plus(this.properties.notifications().timeout().multipliedBy(3));
		return this.jdbc.update(
				"UPDATE BATCHYARD_NOTIFICATION SET CLAIMED_BY = ?, CLAIMED_UNTIL = ? WHERE ID = ?"
						+ " AND DELIVERED_AT IS NULL AND (CLAIMED_UNTIL IS NULL OR CLAIMED_UNTIL < ?)",
				this.node.id(), Timestamp.from(until), id, Timestamp.from(now)) == 1;
	}

	private boolean deliver(long id) {
		Map<String, Object> row = this.jdbc.queryForMap(
				"SELECT NOTIFICATION_ID, KIND, CHANNEL, PAYLOAD, ATTEMPTS FROM BATCHYARD_NOTIFICATION WHERE ID = ?",
				id);
		String channel = (String) row.get("CHANNEL");
		String payload = String.valueOf(row.get("PAYLOAD"));
		int attempts = ((Number) row.get("ATTEMPTS")).intValue() + 1;
		try {
			send(channel, (String) row.get("NOTIFICATION_ID"), payload);
			this.jdbc.update("UPDATE BATCHYARD_NOTIFICATION SET DELIVERED_AT = ?, ATTEMPTS = ?, CLAIMED_UNTIL = NULL,"
					+ " LAST_ERROR = NULL WHERE ID = ?", Timestamp.from(this.clock.instant()), attempts, id);
			logger.info("Delivered notification " + row.get("NOTIFICATION_ID") + " (" + row.get("KIND") + ") to "
					+ channel);
			return true;
		}
		catch (RuntimeException ex) {
			Duration backoff = Backoff.doubling(this.properties.notifications().backoff(), attempts, MAX_BACKOFF);
			String error = abbreviate(ex.getClass().getSimpleName() + ": " + ex.getMessage());
			// Only while this node still holds the claim: a node slower than its lease
			// must
			// not overwrite what the node that took over recorded.
			this.jdbc.update(
					"UPDATE BATCHYARD_NOTIFICATION SET ATTEMPTS = ?, NEXT_ATTEMPT_AT = ?, CLAIMED_UNTIL = NULL,"
							+ " LAST_ERROR = ? WHERE ID = ? AND CLAIMED_BY = ? AND DELIVERED_AT IS NULL",
					attempts, Timestamp.from(this.clock.instant().plus(backoff)), error, id, this.node.id());
			logger.warn("Notification " + row.get("NOTIFICATION_ID") + " to " + channel + " failed (attempt " + attempts
					+ "), next in " + backoff + ": " + error);
			return false;
		}
	}

	private void send(String channel, String id, String payload) {
		Notifications settings = this.properties.notifications();
		Notification notification = this.json.readValue(payload, Notification.class);
		if (UnattendedProperties.SNS_CHANNEL.equals(channel)) {
			String topic = settings.sns().topicArn();
			if (topic == null || topic.isBlank()) {
				throw new IllegalStateException("No SNS topic is configured (batchyard.notifications.sns.topic-arn)");
			}
			this.sns.getObject()
				.publish((request) -> request.topicArn(topic)
					.subject(abbreviate(notification.job() + " execution " + notification.executionId() + " "
							+ notification.status(), 100))
					.message(payload)
					.messageAttributes(Map.of("notificationId",
							MessageAttributeValue.builder().dataType("String").stringValue(id).build())));
			return;
		}
		Webhook webhook = settings.webhooks().get(channel);
		if (webhook == null) {
			throw new IllegalStateException("No channel named '" + channel + "' is configured");
		}
		String body = "slack".equals(webhook.format())
				? this.json.writeValueAsString(Map.of("text", notification.text())) : payload;
		HttpRequest request = HttpRequest.newBuilder(webhook.url())
			.timeout(settings.timeout())
			.header("Content-Type", "application/json")
			.header("X-Batchyard-Notification-Id", id)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		HttpResponse<Void> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.discarding());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException("Webhook " + channel + " (" + redacted(webhook.url()) + ")", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while calling webhook " + channel, ex);
		}
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(
					"Webhook " + channel + " (" + redacted(webhook.url()) + ") answered " + response.statusCode());
		}
	}

	/**
	 * Puts a LONG_RUNNING notification into the outbox, once, for every execution running
	 * longer than its job's {@code expected-duration}.
	 * @return how many were announced now
	 */
	public int announceLongRunning() {
		int announced = 0;
		for (Map.Entry<String, JobSettings> entry : this.properties.jobs().entrySet()) {
			Duration expected = entry.getValue().expectedDuration();
			if (expected == null) {
				continue;
			}
			// Spring Batch writes local date-times of the JVM's zone.
			Timestamp startedBefore = Timestamp.valueOf(java.time.LocalDateTime.now(this.clock).minus(expected));
			List<Map<String, Object>> late = this.jdbc.queryForList("SELECT E.JOB_EXECUTION_ID, I.JOB_NAME"
					+ " FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I ON I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID"
					+ " WHERE E.STATUS IN ('STARTING', 'STARTED', 'STOPPING') AND E.START_TIME < ?"
					+ " AND NOT EXISTS (SELECT 1 FROM BATCHYARD_NOTIFICATION N WHERE N.JOB_EXECUTION_ID ="
					+ " E.JOB_EXECUTION_ID AND N.KIND = 'LONG_RUNNING')", startedBefore);
			for (Map<String, Object> row : late) {
				String job = (String) row.get("JOB_NAME");
				if (UnattendedProperties.normalise(job).equals(entry.getKey())) {
					long executionId = ((Number) row.get("JOB_EXECUTION_ID")).longValue();
					try {
						announced += this.ends.announceLongRunning(executionId, expected);
					}
					catch (DuplicateKeyException ex) {
						// Another node announced it between the query and the
						// insert: once is enough, and the others still get theirs.
						logger.debug("job=" + job + " execution=" + executionId + " was announced by another node");
					}
				}
			}
		}
		return announced;
	}

	/**
	 * The notifications not delivered yet, oldest first, for the dashboard.
	 * @return the rows
	 */
	public List<Map<String, Object>> undelivered() {
		return this.jdbc
			.queryForList("SELECT ID, NOTIFICATION_ID, JOB_EXECUTION_ID, KIND, CHANNEL, CREATED_AT, ATTEMPTS,"
					+ " NEXT_ATTEMPT_AT, LAST_ERROR FROM BATCHYARD_NOTIFICATION WHERE DELIVERED_AT IS NULL ORDER BY ID"
					+ " FETCH FIRST 200 ROWS ONLY");
	}

	/**
	 * A webhook URL may carry a secret in its path or query (Slack's do): never logged.
	 */
	private static String redacted(URI url) {
		return url.getScheme() + "://" + url.getHost() + ((url.getPort() > 0) ? ":" + url.getPort() : "") + "/…";
	}

	private static String abbreviate(String text) {
		return abbreviate(text, 1000);
	}

	private static String abbreviate(String text, int length) {
		return (text.length() <= length) ? text : text.substring(0, length - 1) + "…";
	}

}
