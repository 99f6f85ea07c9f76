package io.batchyard.jobs.postingest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.batchyard.readers.sns.SnsPublisher;
import io.batchyard.readers.sqs.OutboundMessage;
import io.batchyard.readers.sqs.SqsBatchSender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Applies a chunk of {@link Transition}s in the order that makes a crash cost at most
 * duplicates, never a lost row: first every SQS message of the chunk
 * ({@code SendMessageBatch}), then every notification, then every row change, each under
 * a condition that the row is still in the state it was read in. A crash before the row
 * changes leaves the row as it was, so the restarted step reads it again and sends again
 * (at least once); a crash after it leaves the row changed, and the restarted step finds
 * nothing to do for it. A condition that fails means another run changed the row since it
 * was read: the change is not applied twice and the row is left as that run left it.
 * <p>
 * The chunk transaction is the job repository's: it covers the ExecutionContext (the
 * reader's position) and skip records, not DynamoDB, SQS or SNS.
 */
public class PostingestWriter implements ItemWriter<Transition> {

	private static final Log logger = LogFactory.getLog(PostingestWriter.class);

	private final SqsBatchSender sender;

	private final SnsPublisher publisher;

	private final DynamoDbAsyncClient dynamoDb;

	private final String tableName;

	private static final int MAX_TRANSACTION = 100;

	private final Clock clock;

	private final boolean transactional;

	public PostingestWriter(SqsBatchSender sender, SnsPublisher publisher, DynamoDbAsyncClient dynamoDb,
			String tableName, Clock clock, boolean transactional) {
		this.transactional = transactional;
		this.sender = sender;
		this.publisher = publisher;
		this.dynamoDb = dynamoDb;
		this.tableName = tableName;
		this.clock = clock;
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
		this.sender.send(messages);
		for (Transition transition : chunk) {
			if (transition.notification() != null) {
				if (this.publisher == null) {
					throw new IllegalStateException(
							"No SNS topic is configured: set batchyard.jobs.postingest.topic-arn");
				}
				this.publisher.publish(transition.notification());
			}
		}
		String now = this.clock.instant().toString();
		List<Transition> all = new ArrayList<>(chunk.getItems());
		List<Transition> individually = new ArrayList<>();
		for (int from = 0; from < all.size(); from += MAX_TRANSACTION) {
			List<Transition> group = all.subList(from, Math.min(from + MAX_TRANSACTION, all.size()));
			if (!this.transactional || group.size() < 2 || !inOneTransaction(group, now)) {
				individually.addAll(group);
			}
		}
		changeIndividually(individually, now);
	}

	/**
	 * Applies a group of changes in one {@code TransactWriteItems} call: on DynamoDB
	 * Local, and for DynamoDB's request overhead, far cheaper than one call per row. If
	 * any condition fails (or the transaction conflicts), nothing is applied and the
	 * group falls back to one call per row, which tells the rows apart.
	 */
	private boolean inOneTransaction(List<Transition> group, String now) {
		List<TransactWriteItem> items = new ArrayList<>();
		for (Transition transition : group) {
			Object request = request(transition, now);
			if (request instanceof UpdateItemRequest update) {
				items.add(TransactWriteItem.builder()
					.update(Update.builder()
						.tableName(update.tableName())
						.key(update.key())
						.updateExpression(update.updateExpression())
						.conditionExpression(update.conditionExpression())
						.expressionAttributeNames(update.expressionAttributeNames())
						.expressionAttributeValues(update.expressionAttributeValues())
						.build())
					.build());
			}
			else {
				DeleteItemRequest delete = (DeleteItemRequest) request;
				items.add(TransactWriteItem.builder()
					.delete(Delete.builder()
						.tableName(delete.tableName())
						.key(delete.key())
						.conditionExpression(delete.conditionExpression())
						.expressionAttributeNames(delete.expressionAttributeNames())
						.expressionAttributeValues(delete.expressionAttributeValues())
						.build())
					.build());
			}
		}
		try {
			this.dynamoDb.transactWriteItems((b) -> b.transactItems(items)).join();
			return true;
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof TransactionCanceledException canceled) {
				logger.info("Transaction of " + group.size() + " row changes canceled ("
						+ canceled.cancellationReasons().stream().map(CancellationReason::code).distinct().toList()
						+ "); applying them one by one");
				return false;
			}
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
		}
	}

	private void changeIndividually(List<Transition> transitions, String now) {
		List<CompletableFuture<?>> changes = new ArrayList<>();
		for (Transition transition : transitions) {
			changes.add(change(transition, now).exceptionally((failure) -> {
				Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
				if (cause instanceof ConditionalCheckFailedException) {
					logger.warn("Row " + transition.row().key() + " changed since it was read; " + transition.kind()
							+ " not applied to it");
					return null;
				}
				throw (cause instanceof RuntimeException runtime) ? runtime : new CompletionException(cause);
			}));
		}
		RuntimeException failure = null;
		for (CompletableFuture<?> change : changes) {
			try {
				change.join();
			}
			catch (CompletionException ex) {
				failure = (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	private CompletableFuture<?> change(Transition transition, String now) {
		Object request = request(transition, now);
		return (request instanceof UpdateItemRequest update) ? this.dynamoDb.updateItem(update)
				: this.dynamoDb.deleteItem((DeleteItemRequest) request);
	}

	private Object request(Transition transition, String now) {
		PostingestRow row = transition.row();
		Map<String, AttributeValue> key = Map.of(PostingestRow.ASSET_ID, AttributeValue.fromS(row.assetId()),
				PostingestRow.BATCH_ID, AttributeValue.fromS(row.batchId()));
		return switch (transition.kind()) {
			case ENQUEUE -> UpdateItemRequest.builder()
				.tableName(this.tableName)
				.key(key)
				.updateExpression("SET #q = :target, firstQueued = :now, lastQueued = :now")
				.conditionExpression("attribute_exists(assetId) AND attribute_not_exists(#q)")
				.expressionAttributeNames(Map.of("#q", PostingestRow.QUEUE))
				.expressionAttributeValues(Map.of(":target", AttributeValue.fromS(transition.target().alias()), ":now",
						AttributeValue.fromS(now)))
				.build();
			case ADVANCE -> UpdateItemRequest.builder()
				.tableName(this.tableName)
				.key(key)
				.updateExpression("SET #q = :target, firstQueued = :now, lastQueued = :now")
				.conditionExpression("#q = :current AND attribute_exists(#result)")
				.expressionAttributeNames(
						Map.of("#q", PostingestRow.QUEUE, "#result", transition.confirmationAttribute()))
				.expressionAttributeValues(Map.of(":target", AttributeValue.fromS(transition.target().alias()),
						":current", AttributeValue.fromS(row.queue()), ":now", AttributeValue.fromS(now)))
				.build();
			case COMPLETE -> DeleteItemRequest.builder()
				.tableName(this.tableName)
				.key(key)
				.conditionExpression("#q = :current AND attribute_exists(#result)")
				.expressionAttributeNames(
						Map.of("#q", PostingestRow.QUEUE, "#result", transition.confirmationAttribute()))
				.expressionAttributeValues(Map.of(":current", AttributeValue.fromS(row.queue())))
				.build();
			case RESEND -> UpdateItemRequest.builder()
				.tableName(this.tableName)
				.key(key)
				.updateExpression("SET lastQueued = :now")
				.conditionExpression("#q = :current")
				.expressionAttributeNames(Map.of("#q", PostingestRow.QUEUE))
				.expressionAttributeValues(
						Map.of(":current", AttributeValue.fromS(row.queue()), ":now", AttributeValue.fromS(now)))
				.build();
		};
	}

}
