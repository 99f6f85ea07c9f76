package io.batchyard.jobs.postingest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.batchyard.readers.sns.OutboundNotification;
import io.batchyard.readers.sns.SnsPublisher;
import io.batchyard.readers.sqs.OutboundMessage;
import io.batchyard.readers.sqs.SqsBatchSender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementError;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementErrorCodeEnum;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;

/**
 * Applies a chunk of {@link Transition}s in the order that makes a crash cost at most
 * duplicates, never a lost row: first every SQS message of the chunk
 * ({@code SendMessageBatch}), then every notification ({@code PublishBatch}; an entry SNS
 * still fails after its retries fails the chunk like a failed call), then every row
 * change, each under a condition that the row is still in the state it was read in. A
 * crash before the row changes leaves the row as it was, so the restarted step reads it
 * again and sends again (at least once); a crash after it leaves the row changed, and the
 * restarted step finds nothing to do for it. A condition that fails means another run
 * changed the row since it was read: the change is not applied twice and the row is left
 * as that run left it.
 * <p>
 * The chunk transaction is the job repository's: it covers the ExecutionContext (the
 * reader's position) and skip records, not DynamoDB, SQS or SNS.
 */
public class PostingestWriter implements ItemWriter<Transition> {

	private static final Log logger = LogFactory.getLog(PostingestWriter.class);

	private static final int MAX_STATEMENTS = 25;

	/**
	 * Statement errors worth another attempt: the service was busy, not the row wrong.
	 */
	private static final Set<BatchStatementErrorCodeEnum> RETRYABLE = EnumSet.of(
			BatchStatementErrorCodeEnum.THROTTLING_ERROR, BatchStatementErrorCodeEnum.PROVISIONED_THROUGHPUT_EXCEEDED,
			BatchStatementErrorCodeEnum.REQUEST_LIMIT_EXCEEDED, BatchStatementErrorCodeEnum.TRANSACTION_CONFLICT,
			BatchStatementErrorCodeEnum.INTERNAL_SERVER_ERROR);

	private final SqsBatchSender sender;

	private final SnsPublisher publisher;

	private final DynamoDbAsyncClient dynamoDb;

	private final String tableName;

	private final String table;

	private final Clock clock;

	private final int maxAttempts;

	private final Duration backOff;

	/**
	 * @param sender the SQS sender
	 * @param publisher the SNS publisher, or {@code null} when no topic is configured
	 * @param dynamoDb the DynamoDB client
	 * @param tableName the state table
	 * @param clock the clock of {@code firstQueued}/{@code lastQueued}
	 * @param maxAttempts attempts per row change that DynamoDB reports as throttled or
	 * failed on its side, the first included
	 * @param backOff the wait before the second attempt; it doubles each time
	 */
	public PostingestWriter(SqsBatchSender sender, SnsPublisher publisher, DynamoDbAsyncClient dynamoDb,
			String tableName, Clock clock, int maxAttempts, Duration backOff) {
		this.sender = sender;
		this.publisher = publisher;
		this.dynamoDb = dynamoDb;
		this.tableName = tableName;
		this.table = identifier(tableName);
		this.clock = clock;
		this.maxAttempts = maxAttempts;
		this.backOff = backOff;
	}

	@Override
	public void write(Chunk<? extends Transition> chunk) {
		List<OutboundMessage> messages = new ArrayList<>();
		for (Transition transition : chunk) {
			if (transition.messageBody() != null) {
				messages.add(new OutboundMessage(transition.row().key(), transition.target().url(),
						transition.messageBody()));
			}
		}
		List<OutboundNotification> notifications = new ArrayList<>();
		for (Transition transition : chunk) {
			if (transition.notification() != null) {
				notifications.add(new OutboundNotification(transition.row().key(), transition.notification()));
			}
		}
		if (!notifications.isEmpty() && this.publisher == null) {
			throw new IllegalStateException("No SNS topic is configured: set batchyard.jobs.postingest.topic-arn");
		}
		this.sender.send(messages);
		if (!notifications.isEmpty()) {
			this.publisher.publishAll(notifications);
		}
		changeRows(chunk.getItems(), this.clock.instant().toString());
	}

	/**
	 * Changes the rows with PartiQL statements, up to 25 in one
	 * {@code BatchExecuteStatement} call and the calls of a chunk in parallel: each
	 * statement keeps its own condition and its own outcome, at a fraction of the cost of
	 * one {@code UpdateItem} call per row.
	 */
	private void changeRows(List<? extends Transition> transitions, String now) {
		List<CompletableFuture<Void>> calls = new ArrayList<>();
		for (List<Transition> group : groups(transitions)) {
			calls.add(execute(group, now, 1));
		}
		RuntimeException failure = null;
		for (CompletableFuture<Void> call : calls) {
			try {
				call.join();
			}
			catch (CompletionException ex) {
				failure = (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	/** Groups of at most 25 statements, no key twice in one (DynamoDB refuses that). */
	private static List<List<Transition>> groups(List<? extends Transition> transitions) {
		List<List<Transition>> groups = new ArrayList<>();
		List<Transition> group = new ArrayList<>();
		Set<String> keys = new HashSet<>();
		for (Transition transition : transitions) {
			if (group.size() == MAX_STATEMENTS || !keys.add(transition.row().key())) {
				groups.add(group);
				group = new ArrayList<>();
				keys.clear();
				keys.add(transition.row().key());
			}
			group.add(transition);
		}
		if (!group.isEmpty()) {
			groups.add(group);
		}
		return groups;
	}

	private CompletableFuture<Void> execute(List<Transition> group, String now, int attempt) {
		List<BatchStatementRequest> statements = group.stream()
			.map((transition) -> statement(transition, now))
			.toList();
		return this.dynamoDb.batchExecuteStatement((b) -> b.statements(statements)).thenCompose((response) -> {
			List<Transition> again = new ArrayList<>();
			for (int i = 0; i < group.size(); i++) {
				BatchStatementError error = response.responses().get(i).error();
				Transition transition = group.get(i);
				if (error == null) {
					continue;
				}
				if (error.code() == BatchStatementErrorCodeEnum.CONDITIONAL_CHECK_FAILED) {
					logger.warn("Row " + transition.row().key() + " changed since it was read; " + transition.kind()
							+ " not applied to it");
				}
				else if (RETRYABLE.contains(error.code()) && attempt < this.maxAttempts) {
					again.add(transition);
				}
				else {
					throw new IllegalStateException("DynamoDB refused the " + transition.kind() + " of row "
							+ transition.row().key() + " in table " + this.tableName + " (attempt " + attempt + "): "
							+ error.codeAsString() + " " + error.message());
				}
			}
			if (again.isEmpty()) {
				return CompletableFuture.completedFuture(null);
			}
			long wait = this.backOff.toMillis() << (attempt - 1);
			return CompletableFuture.runAsync(() -> {
			}, CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS))
				.thenCompose((ignored) -> execute(again, now, attempt + 1));
		});
	}

	private BatchStatementRequest statement(Transition transition, String now) {
		PostingestRow row = transition.row();
		AttributeValue assetId = AttributeValue.fromS(row.assetId());
		AttributeValue batchId = AttributeValue.fromS(row.batchId());
		AttributeValue at = AttributeValue.fromS(now);
		String key = " WHERE \"" + PostingestRow.ASSET_ID + "\"=? AND \"" + PostingestRow.BATCH_ID + "\"=?";
		String queue = "\"" + PostingestRow.QUEUE + "\"";
		String enqueue = "UPDATE " + this.table + " SET " + queue + "=?, \"firstQueued\"=?, \"lastQueued\"=?" + key;
		return switch (transition.kind()) {
			case ENQUEUE -> statement(enqueue + " AND " + queue + " IS MISSING",
					AttributeValue.fromS(transition.target().alias()), at, at, assetId, batchId);
			case ADVANCE -> statement(
					enqueue + " AND " + queue + "=? AND " + identifier(transition.confirmationAttribute())
							+ " IS NOT MISSING",
					AttributeValue.fromS(transition.target().alias()), at, at, assetId, batchId,
					AttributeValue.fromS(row.queue()));
			case COMPLETE -> statement(
					"DELETE FROM " + this.table + key + " AND " + queue + "=? AND "
							+ identifier(transition.confirmationAttribute()) + " IS NOT MISSING",
					assetId, batchId, AttributeValue.fromS(row.queue()));
			case RESEND -> statement("UPDATE " + this.table + " SET \"lastQueued\"=?" + key + " AND " + queue + "=?",
					at, assetId, batchId, AttributeValue.fromS(row.queue()));
		};
	}

	private static BatchStatementRequest statement(String statement, AttributeValue... parameters) {
		return BatchStatementRequest.builder().statement(statement).parameters(parameters).build();
	}

	/** A PartiQL quoted identifier. */
	static String identifier(String name) {
		if (name == null || name.isEmpty() || name.indexOf('"') >= 0) {
			throw new IllegalArgumentException("Not usable as a DynamoDB attribute or table name: '" + name + "'");
		}
		return "\"" + name + "\"";
	}

}
