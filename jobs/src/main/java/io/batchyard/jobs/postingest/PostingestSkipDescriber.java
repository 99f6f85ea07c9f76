package io.batchyard.jobs.postingest;

import java.util.Map;

import io.batchyard.jobs.support.SkippedItem;
import io.batchyard.jobs.support.SkippedItemDescriber;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A skipped row is named by its key ({@code assetId/batchId}) and its table.
 */
class PostingestSkipDescriber implements SkippedItemDescriber<Map<String, AttributeValue>, Transition> {

	private final String tableName;

	PostingestSkipDescriber(String tableName) {
		this.tableName = tableName;
	}

	@Override
	public SkippedItem describeProcess(Map<String, AttributeValue> item, Throwable failure) {
		return new SkippedItem("table " + this.tableName, PostingestRow.key(item),
				SkippedItemDescriber.reason(failure));
	}

	@Override
	public SkippedItem describeWrite(Transition item, Throwable failure) {
		return new SkippedItem("table " + this.tableName, item.row().key(), SkippedItemDescriber.reason(failure));
	}

}
