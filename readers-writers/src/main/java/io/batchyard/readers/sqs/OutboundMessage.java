package io.batchyard.readers.sqs;

/**
 * One message to send.
 *
 * @param id an id unique within one call to {@link SqsBatchSender#send}, used to name the
 * message when it fails (a business key such as an asset id)
 * @param queueUrl the queue
 * @param body the body
 */
public record OutboundMessage(String id, String queueUrl, String body) {

}
