package io.batchyard.jobs.support;

/**
 * What an operator needs to find and fix a skipped item.
 *
 * @param position where it was in the input (a line number, a page and offset), or
 * {@code null}
 * @param key its business key (a reference id, an asset id), or {@code null}
 * @param reason why it was skipped, specific enough to act on
 */
public record SkippedItem(String position, String key, String reason) {

}
