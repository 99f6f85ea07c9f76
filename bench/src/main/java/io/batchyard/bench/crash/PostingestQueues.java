package io.batchyard.bench.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.json.JsonMapper;

/**
 * The confirmer queues the two postingest workloads share on one node: whichever drains
 * them keeps the other's messages aside (by the asset id's prefix), so that neither loses
 * the other's messages to its own drain.
 */
final class PostingestQueues {

	/** The asset id prefix of {@link PostingestResendWorkload}'s rows. */
	static final String RESEND_PREFIX = "resend-";

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final Map<String, List<String>> SET_ASIDE = new HashMap<>();

	private PostingestQueues() {
	}

	/**
	 * Every message now on the queues, deleted, and those set aside before, of one owner.
	 * @param sqs the client
	 * @param queues queue URL by alias
	 * @param resend whether the owner is the resend workload (else the sweep)
	 * @return {@code assetId|alias|body} lines
	 */
	static synchronized List<String> take(SqsClient sqs, Map<String, String> queues, boolean resend) {
		queues.forEach((alias, url) -> {
			for (String body : drain(sqs, url)) {
				String asset = JSON.readTree(body).path("assetId").asString();
				String owner = asset.startsWith(RESEND_PREFIX) ? "resend" : "sweep";
				SET_ASIDE.computeIfAbsent(owner, (key) -> new ArrayList<>()).add(asset + "|" + alias + "|" + body);
			}
		});
		List<String> taken = SET_ASIDE.remove(resend ? "resend" : "sweep");
		return (taken != null) ? taken : List.of();
	}

	private static List<String> drain(SqsClient sqs, String url) {
		List<String> bodies = new ArrayList<>();
		int empty = 0;
		while (empty < 3) {
			List<Message> received = sqs
				.receiveMessage((request) -> request.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
				.messages();
			empty = received.isEmpty() ? empty + 1 : 0;
			for (Message message : received) {
				bodies.add(message.body());
				sqs.deleteMessage((request) -> request.queueUrl(url).receiptHandle(message.receiptHandle()));
			}
		}
		return bodies;
	}

}
