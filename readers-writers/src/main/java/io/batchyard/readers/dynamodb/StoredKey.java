package io.batchyard.readers.dynamodb;

import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A DynamoDB key in a form every ExecutionContext serializer keeps: a map of attribute
 * name to {@code "S:value"} or {@code "N:value"} (key attributes are strings, numbers or
 * binary, and binary keys are not supported here).
 */
final class StoredKey {

	private StoredKey() {
	}

	static Map<String, String> toStrings(Map<String, AttributeValue> key) {
		Map<String, String> stored = new LinkedHashMap<>();
		key.forEach((name, value) -> {
			if (value.s() != null) {
				stored.put(name, "S:" + value.s());
			}
			else if (value.n() != null) {
				stored.put(name, "N:" + value.n());
			}
			else {
				throw new IllegalArgumentException("Key attribute '" + name + "' is neither a string nor a number");
			}
		});
		return stored;
	}

	static Map<String, AttributeValue> fromStrings(Map<String, String> stored) {
		Map<String, AttributeValue> key = new LinkedHashMap<>();
		stored.forEach((name, value) -> {
			String text = value.substring(2);
			key.put(name, value.startsWith("N:") ? AttributeValue.fromN(text) : AttributeValue.fromS(text));
		});
		return key;
	}

}
