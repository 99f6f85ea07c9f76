package io.batchyard.launcher.unattended;

import java.util.Map;

/**
 * What a notification says: the body sent to every channel. {@code id} is the same on
 * every channel and every delivery attempt, for receivers to de-duplicate on.
 *
 * @param id the notification id
 * @param kind {@code FAILED}, {@code STOPPED}, {@code COMPLETED_WITH_SKIPS} or
 * {@code LONG_RUNNING}
 * @param job the job
 * @param executionId the execution
 * @param instanceId its instance
 * @param parameters its parameters as text
 * @param status its status
 * @param exitCode its exit code
 * @param summary the first line of its exit description, or why it is announced
 * @param attempt which run of the instance this was (1 = the first)
 * @param automaticRestart what happens next: an automatic restart, or why none
 * @param node the runner node that ran it
 * @param url the execution's page
 * @param time when it was recorded (ISO-8601)
 */
public record Notification(String id, String kind, String job, long executionId, long instanceId,
		Map<String, String> parameters, String status, String exitCode, String summary, int attempt,
		String automaticRestart, String node, String url, String time) {

	/**
	 * One line for chat channels.
	 * @return the text
	 */
	public String text() {
		return "Batchyard: " + this.job + " execution " + this.executionId + " " + this.status
				+ (this.summary.isEmpty() ? "" : ": " + this.summary)
				+ (this.automaticRestart.isEmpty() ? "" : " (" + this.automaticRestart + ")") + " " + this.url;
	}

}
